// Fuzz target: the configuration file — its JSON parser (ServiceCore.JSONParser), the loader
// (ConfigLoader) and the editor `--persist` uses (ConfigFileEditor). Input: the file's bytes.
//
// Invariants:
// - a syntax error points inside the file (offset ≤ its length, line and column ≥ 1);
// - a file that loads, with a pair added by the editor, loads to the same pairs plus that one,
//   and removing the pair again gives back the original bytes exactly when the file already
//   had pairs (docs/configuration.md: everything outside the edit stays as the user left it;
//   sections the editor had to create stay, so then only the pairs must be the same);
// - the editor refuses only with a reason (conflict, a section that is not an object), never
//   by producing a file that does not load.
@testable import ServiceCore

let added: ConfiguredLoopbackPair = {
    do {
        return try ConfiguredLoopbackPair(
            associationId: try AssociationId(parsing: "{F022F022-0000-4000-8000-00000000F022}"),
            endpointA: try .init(name: "Fuzz Added (A)", description: "added by the fuzzer", uniqueIdentifier: try UniqueIdentifier(validating: "fuzzadded")),
            endpointB: try .init(name: "Fuzz Added (B)", uniqueIdentifier: try UniqueIdentifier(validating: "fuzzadded")))
    } catch {
        fatalError("the fuzz target's own pair is invalid: \(error)")
    }
}()

func fuzz(_ input: UnsafeRawBufferPointer) {
    let bytes = Array(input)
    let loaded: ConfigLoadResult
    do {
        loaded = try ConfigLoader.load(bytes)
    } catch {
        let p = error.position
        invariant(p.offset >= 0 && p.offset <= bytes.count && p.line >= 1 && p.column >= 1,
                  "syntax error position \(p) outside a \(bytes.count)-byte file")
        do {
            _ = try ConfigFileEditor.addingPair(added, to: bytes)
            invariant(false, "the editor changed a file that does not load")
        } catch {
            if case .unparseable = error {} else { invariant(false, "unloadable file refused for another reason: \(error)") }
        }
        return
    }
    let edited: [UInt8]
    do {
        edited = try ConfigFileEditor.addingPair(added, to: bytes)
    } catch {
        switch error {
        case .conflict, .notAnObject: return
        case .unparseable, .pairNotFound: invariant(false, "a loadable file refused as \(error)"); return
        }
    }
    let reloaded: ConfigLoadResult
    do {
        reloaded = try ConfigLoader.load(edited)
    } catch {
        invariant(false, "the edited file does not load: \(error)")
        return
    }
    invariant(reloaded.pairs == loaded.pairs + [added] || Set(reloaded.pairs) == Set(loaded.pairs + [added]),
              "pairs \(loaded.pairs.count) + 1 became \(reloaded.pairs.count)")
    guard !ConfigLoader.isBlank(bytes) else { return }
    let restored: [UInt8]
    do {
        restored = try ConfigFileEditor.removingPair(added.associationId, from: edited)
    } catch {
        invariant(false, "the added pair cannot be removed: \(error)")
        return
    }
    if loaded.pairs.isEmpty {
        // The editor may have created the sections (or filled an empty `create`); they stay.
        let again = try? ConfigLoader.load(restored)
        invariant(again?.pairs == loaded.pairs, "adding then removing a pair changed the pairs")
    } else {
        invariant(restored == bytes, "adding then removing a pair changed the file (\(bytes.count) → \(restored.count) bytes)")
    }
}
