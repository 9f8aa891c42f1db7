/// The routing counters one send call or one batch adds, kept in a local and added to
/// `MidiService.counters` once at its end.
///
/// Why not `counters.messagesRouted += 1` per message: `counters` is a stored property of a
/// class, so every mutation of it is a dynamically checked access in release builds
/// (`swift_beginAccess`, a thread-local access set, `swift_endAccess`: about 100 instructions
/// each under callgrind — two per message here, see docs/performance.md). The counters are only
/// read between calls into the
/// service (a status request, a test), never while a batch is being routed — receivers must not
/// call back into the service — so adding them up at the end changes no figure anyone sees.
struct RoutingTally {
    /// → `ServiceCounters.messagesRouted`
    var routed: UInt64 = 0
    /// → `ServiceCounters.receiverDeliveries`
    var deliveries: UInt64 = 0
    /// → `ServiceCounters.receiverOverflows`
    var overflows: UInt64 = 0
}

extension ServiceCounters {
    mutating func add(_ tally: RoutingTally) {
        messagesRouted &+= tally.routed
        receiverDeliveries &+= tally.deliveries
        receiverOverflows &+= tally.overflows
    }
}
