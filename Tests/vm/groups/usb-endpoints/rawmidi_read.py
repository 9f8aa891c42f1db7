#!/usr/bin/env python3
"""rawmidi_read.py DEVICE OUTPUT: copies what a rawmidi input (e.g. /dev/snd/midiC1D0) receives
into OUTPUT until killed, after giving the input a 256 KiB kernel buffer.

The kernel's default rawmidi input buffer is 4 KiB, and a gadget's f_midi drops what does not
fit when the next USB packets land: a reader that a loaded TCG guest does not schedule for a
moment (`cat`, as before) then loses bytes the product delivered. With room for the whole
transfer, what arrives is what the daemon sent. SNDRV_RAWMIDI_IOCTL_PARAMS as in
include/uapi/sound/asound.h: {int stream; size_t buffer_size; size_t avail_min;
unsigned int no_active_sensing:1; unsigned int mode; unsigned char reserved[12];}, 48 bytes.
"""
import fcntl
import os
import struct
import sys

SNDRV_RAWMIDI_STREAM_INPUT = 1
SNDRV_RAWMIDI_IOCTL_PARAMS = 0xC0305710  # _IOWR('W', 0x10, 48 bytes)
BUFFER = 256 * 1024

device, output = sys.argv[1], sys.argv[2]
fd = os.open(device, os.O_RDONLY)
params = struct.pack("=i4xQQII12s4x", SNDRV_RAWMIDI_STREAM_INPUT, BUFFER, 1, 0, 0, b"")
fcntl.ioctl(fd, SNDRV_RAWMIDI_IOCTL_PARAMS, params)
print(f"rawmidi_read: {device} input buffer {BUFFER} bytes", file=sys.stderr, flush=True)
with open(output, "wb", buffering=0) as out:
    while True:
        data = os.read(fd, 65536)
        if not data:
            break
        out.write(data)
