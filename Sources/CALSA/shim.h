#ifndef CALSA_SHIM_H
#define CALSA_SHIM_H
#include <alsa/asoundlib.h>

/*
 * Swift cannot import function-like C macros, and `snd_seq_ev_ext_t` is a packed
 * struct whose pointer member Swift sees only awkwardly. These `static inline`
 * functions restate the alsa-lib macros of <alsa/seqmid.h> and <alsa/seq.h> that the
 * Swift wrapper (Sources/ALSASequencer) needs, with the same effect on the event.
 * They are compiled into the caller, so the hot path pays no call.
 *
 * The `*_alloca` macros are deliberately not restated: `alloca` memory cannot outlive
 * an inline function. The wrapper uses the `*_malloc` / `*_free` pairs instead, only
 * on setup paths (creating ports, querying), never per event.
 */

/* snd_seq_ev_clear: zero the whole event. */
static inline void calsa_ev_clear(snd_seq_event_t *ev) {
    memset(ev, 0, sizeof(*ev));
}

/* snd_seq_ev_set_source: the sending port of this client. */
static inline void calsa_ev_set_source(snd_seq_event_t *ev, unsigned char port) {
    ev->source.port = port;
}

/* snd_seq_ev_set_subs: deliver to every subscriber of the source port. */
static inline void calsa_ev_set_subs(snd_seq_event_t *ev) {
    ev->dest.client = SND_SEQ_ADDRESS_SUBSCRIBERS;
    ev->dest.port = SND_SEQ_ADDRESS_UNKNOWN;
}

/* snd_seq_ev_set_dest: deliver to one explicit address. */
static inline void calsa_ev_set_dest(snd_seq_event_t *ev, unsigned char client, unsigned char port) {
    ev->dest.client = client;
    ev->dest.port = port;
}

/* snd_seq_ev_set_direct: no queue, deliver at once. */
static inline void calsa_ev_set_direct(snd_seq_event_t *ev) {
    ev->queue = SND_SEQ_QUEUE_DIRECT;
}

/* snd_seq_ev_set_fixed: the event's data is the fixed 12-byte union. */
static inline void calsa_ev_set_fixed(snd_seq_event_t *ev) {
    ev->flags &= ~SND_SEQ_EVENT_LENGTH_MASK;
    ev->flags |= SND_SEQ_EVENT_LENGTH_FIXED;
}

/* snd_seq_ev_set_variable: the event carries `len` bytes at `ptr` (copied on output). */
static inline void calsa_ev_set_variable(snd_seq_event_t *ev, unsigned int len, const void *ptr) {
    ev->flags &= ~SND_SEQ_EVENT_LENGTH_MASK;
    ev->flags |= SND_SEQ_EVENT_LENGTH_VARIABLE;
    ev->data.ext.len = len;
    ev->data.ext.ptr = (void *)ptr;
}

/* snd_seq_ev_set_sysex: a SysEx chunk is a variable-length event of type SYSEX. */
static inline void calsa_ev_set_sysex(snd_seq_event_t *ev, unsigned int len, const void *ptr) {
    ev->type = SND_SEQ_EVENT_SYSEX;
    calsa_ev_set_variable(ev, len, ptr);
}

/* snd_seq_ev_is_variable: the event's data lives in ext.ptr / ext.len. */
static inline int calsa_ev_is_variable(const snd_seq_event_t *ev) {
    return (ev->flags & SND_SEQ_EVENT_LENGTH_MASK) == SND_SEQ_EVENT_LENGTH_VARIABLE;
}

/* Read access to the packed ext member (length and data of a variable event). */
static inline unsigned int calsa_ev_ext_len(const snd_seq_event_t *ev) {
    return ev->data.ext.len;
}

static inline const void *calsa_ev_ext_ptr(const snd_seq_event_t *ev) {
    return ev->data.ext.ptr;
}

/* Note events (snd_seq_ev_set_noteon / _noteoff / _keypress). */
static inline void calsa_ev_set_note(snd_seq_event_t *ev, snd_seq_event_type_t type,
                                     unsigned char channel, unsigned char key, unsigned char velocity) {
    ev->type = type;
    calsa_ev_set_fixed(ev);
    ev->data.note.channel = channel;
    ev->data.note.note = key;
    ev->data.note.velocity = velocity;
}

/* Control events (snd_seq_ev_set_controller / _pgmchange / _chanpress / _pitchbend, and the
 * system common messages that alsa-lib also carries in snd_seq_ev_ctrl_t). */
static inline void calsa_ev_set_control(snd_seq_event_t *ev, snd_seq_event_type_t type,
                                        unsigned char channel, unsigned int param, int value) {
    ev->type = type;
    calsa_ev_set_fixed(ev);
    ev->data.control.channel = channel;
    ev->data.control.param = param;
    ev->data.control.value = value;
}

/* Events with no data that matters (real-time messages, tune request). */
static inline void calsa_ev_set_plain(snd_seq_event_t *ev, snd_seq_event_type_t type) {
    ev->type = type;
    calsa_ev_set_fixed(ev);
}

/*
 * alsa-lib prints its own "ALSA lib file:line:(function) ..." line on stderr for many
 * failures (e.g. `snd_seq_open` when the kernel's 64 user clients are taken) before
 * returning the error code. The wrapper returns every code as an ALSAError naming the
 * operation, and the daemon logs that, so the library's line is a duplicate outside the
 * log format. A handler that prints nothing; installed by
 * `ALSALibraryMessages.silence()`. (Swift cannot define a C variadic function.)
 */
static void calsa_discard_library_error(const char *file, int line, const char *function,
                                        int err, const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err; (void)fmt;
}

static inline void calsa_silence_library_errors(void) {
    snd_lib_error_set_handler(calsa_discard_library_error);
}

static inline void calsa_restore_library_errors(void) {
    snd_lib_error_set_handler(NULL);
}

#endif
