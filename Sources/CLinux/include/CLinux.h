#ifndef CLINUX_H
#define CLINUX_H
/*
 * Linux system interfaces that Swift's Glibc module does not export: <sys/epoll.h> for the
 * daemon's event loop (Sources/MIDIDaemon/EventLoop). Declarations only; nothing is
 * restated or wrapped here.
 */
#include <sys/epoll.h>

#endif
