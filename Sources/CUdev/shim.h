#ifndef CUDEV_SHIM_H
#define CUDEV_SHIM_H
#include <libudev.h>

/* Rawmidi substream names come from the sound card's control device, through the kernel's
 * SNDRV_CTL_IOCTL_RAWMIDI_INFO (sysfs has no substream information). The ioctl number and the
 * struct layout come from the kernel uapi header, so this stays right on every architecture;
 * UdevDevices imports this module internally, so none of it leaks to the daemon. */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sound/asound.h>

/* Fills name (NUL-terminated, at most capacity bytes) with the substream's name and *count with
 * the number of substreams of that direction. stream: 0 = output, 1 = input
 * (SNDRV_RAWMIDI_STREAM_*). Returns 0, or -errno. */
static inline int cudev_rawmidi_substream_info(int control_fd, unsigned int device,
                                               unsigned int subdevice, int stream,
                                               char *name, size_t capacity,
                                               unsigned int *count) {
    struct snd_rawmidi_info info;
    memset(&info, 0, sizeof info);
    info.device = device;
    info.subdevice = subdevice;
    info.stream = stream;
    if (ioctl(control_fd, SNDRV_CTL_IOCTL_RAWMIDI_INFO, &info) < 0) return -errno;
    if (capacity > 0) {
        size_t n = strnlen((const char *)info.subname, sizeof info.subname);
        if (n >= capacity) n = capacity - 1;
        memcpy(name, info.subname, n);
        name[n] = '\0';
    }
    if (count) *count = info.subdevices_count;
    return 0;
}
#endif
