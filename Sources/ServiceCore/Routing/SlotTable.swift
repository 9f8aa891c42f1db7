/// A handle into a `SlotTable`: index plus the generation the slot had when the value was
/// stored, so a stale handle never reaches a newer occupant.
struct SlotHandle: Hashable {
    var index: UInt32
    var generation: UInt32
}

/// Generational slot storage: O(1) insert, remove and lookup by handle with no hashing —
/// what the hot path uses to go from a ConnectionID to its endpoint. Slots are reused through
/// a free list; storage never shrinks, so steady-state use does not allocate.
struct SlotTable<Value> {
    private var values: [Value?] = []
    private var generations: [UInt32] = []
    private var free: [UInt32] = []
    private(set) var count = 0

    mutating func insert(_ value: Value) -> SlotHandle {
        count += 1
        if let index = free.popLast() {
            values[Int(index)] = value
            return SlotHandle(index: index, generation: generations[Int(index)])
        }
        values.append(value)
        generations.append(1)   // generation 0 is never handed out: ConnectionID(rawValue: 0) is invalid
        return SlotHandle(index: UInt32(values.count - 1), generation: 1)
    }

    func value(_ handle: SlotHandle) -> Value? {
        let i = Int(handle.index)
        guard i < values.count, generations[i] == handle.generation else { return nil }
        return values[i]
    }

    @discardableResult
    mutating func remove(_ handle: SlotHandle) -> Value? {
        let i = Int(handle.index)
        guard i < values.count, generations[i] == handle.generation, let value = values[i] else { return nil }
        values[i] = nil
        // Wrapping skips 0 so that a handle with generation 0 stays invalid forever.
        generations[i] = generations[i] == .max ? 1 : generations[i] + 1
        free.append(handle.index)
        count -= 1
        return value
    }
}
