// Text captured from Debian's kernel 6.1.0-56 under virtme-ng, with a configfs MIDI gadget
// (VID 0x1209, PID 0x4d49, serial SER-0001, manufacturer "Acme", product "Test Synth",
// in_ports 2, out_ports 2) plugged into dummy_hcd. See Tests/vm/groups/usb-gadget/gadget-lib.sh.
enum Captured {
    /// `/proc/asound/card1/midi0` of the host-side snd-usb-audio card.
    static let procRawMidi2x2 = """
    Test Synth

    Output 0
      Tx bytes     : 0
    Output 1
      Tx bytes     : 0
    Input 0
      Rx bytes     : 0
    Input 1
      Rx bytes     : 0

    """

    /// A gadget with in_ports 1, out_ports 3 (card "Synth g1"); output 1 opened by a reader, the
    /// shape `snd_rawmidi_proc_info_read` prints for an open substream.
    static let procRawMidi1in3outOpen = """
    Synth g1

    Output 0
      Tx bytes     : 0
    Output 1
      Owner PID    : 412
      Mode         : native
      Buffer size  : 4096
      Avail        : 4096
      Tx bytes     : 12
    Output 2
      Tx bytes     : 0
    Input 0
      Rx bytes     : 0

    """

    /// Properties of the host card's `change` event (`udevadm monitor --udev --property`).
    static let cardChangeProperties: [String: String] = [
        "ACTION": "change",
        "DEVPATH": "/devices/platform/dummy_hcd.0/usb1/1-1/1-1:1.0/sound/card1",
        "SUBSYSTEM": "sound",
        "SYNTH_UUID": "0",
        "SEQNUM": "1360",
        "USEC_INITIALIZED": "34245491",
        "ID_PATH": "platform-dummy_hcd.0-usb-0:1:1.0",
        "ID_PATH_TAG": "platform-dummy_hcd_0-usb-0_1_1_0",
        "ID_FOR_SEAT": "sound-platform-dummy_hcd_0-usb-0_1_1_0",
        "SOUND_INITIALIZED": "1",
        "ID_VENDOR_FROM_DATABASE": "Generic",
        "ID_BUS": "usb",
        "ID_MODEL": "Test_Synth",
        "ID_MODEL_ENC": "Test\\x20Synth",
        "ID_MODEL_ID": "4d49",
        "ID_SERIAL": "Acme_Test_Synth_SER-0001",
        "ID_SERIAL_SHORT": "SER-0001",
        "ID_VENDOR": "Acme",
        "ID_VENDOR_ENC": "Acme",
        "ID_VENDOR_ID": "1209",
        "ID_REVISION": "0601",
        "ID_TYPE": "audio",
        "ID_USB_INTERFACES": ":010100:010300:",
        "ID_USB_INTERFACE_NUM": "00",
        "ID_USB_DRIVER": "snd-usb-audio",
        "TAGS": ":seat:",
    ]

    /// The same card's `add` event: no identity yet.
    static let cardAddProperties: [String: String] = [
        "ACTION": "add",
        "DEVPATH": "/devices/platform/dummy_hcd.0/usb1/1-1/1-1:1.0/sound/card1",
        "SUBSYSTEM": "sound",
        "ID_PATH": "platform-dummy_hcd.0-usb-0:1:1.0",
        "ID_PATH_TAG": "platform-dummy_hcd_0-usb-0_1_1_0",
        "TAGS": ":seat:",
    ]

    /// The gadget side's own f_midi card (`change` event): a sound card with no USB parent.
    static let gadgetCardProperties: [String: String] = [
        "ACTION": "change",
        "DEVPATH": "/devices/platform/dummy_udc.0/gadget.0/sound/card0",
        "SUBSYSTEM": "sound",
        "ID_PATH": "platform-dummy_udc.0",
        "ID_PATH_TAG": "platform-dummy_udc_0",
        "SOUND_INITIALIZED": "1",
        "SOUND_FORM_FACTOR": "internal",
    ]

    /// `udevadm info -a` ancestry of the host card, the card first.
    static let hostCardAncestry: [UdevPathIdLinkSample] = [
        .init("sound", nil, "card1"),
        .init("usb", "usb_interface", "1-1:1.0"),
        .init("usb", "usb_device", "1-1"),
        .init("usb", "usb_device", "usb1"),
        .init("platform", nil, "dummy_hcd.0"),
        .init(nil, nil, "platform"),
    ]

    /// Attributes of the `usb_device` ancestor (`1-1`).
    static let usbDeviceAttributes = [
        "idVendor": "1209", "idProduct": "4d49", "serial": "SER-0001",
        "manufacturer": "Acme", "product": "Test Synth",
    ]
}

struct UdevPathIdLinkSample {
    let subsystem: String?, devtype: String?, sysname: String
    init(_ subsystem: String?, _ devtype: String?, _ sysname: String) {
        self.subsystem = subsystem; self.devtype = devtype; self.sysname = sysname
    }
}
