/// Edits the configuration file by splicing text into it, so that every byte outside the edit
/// — other sections, `_comment`s, whitespace, key order, line endings — stays as the user left
/// it (docs/design.md §4). Pure functions: bytes in, bytes out; writing them atomically is the
/// caller's job (`ConfigFileStore`).
///
/// Both functions refuse a file that does not parse, and check that their output loads to the
/// same pairs plus (or minus) the edited one.
public enum ConfigFileEditor {
    /// `original` with `pair` added under the loopback transport's `create` object, creating
    /// `endpointTransportPluginSettings`, the transport section and `create` where missing.
    /// A missing or blank file becomes a new document holding just this pair.
    ///
    /// The new member goes right after the last member of `create` (`,` + line break + entry),
    /// indented like that member, so removing it again restores the original bytes exactly.
    public static func addingPair(_ pair: ConfiguredLoopbackPair, to original: [UInt8]?) throws(ConfigEditError) -> [UInt8] {
        let outline = JSONOutline.pair(pair)
        let key = pair.associationId.description
        guard let original, let analysis = try analyze(original) else {
            let bom: [UInt8] = original?.starts(with: byteOrderMark) == true ? byteOrderMark : []
            let writer = JSONWriter.configuration(newline: "\n")
            let document = writer.document(.object([(ConfigSchema.transportSettingsKey, sectionValue(at: 0, key: key, value: outline))]))
            return bom + Array(document.utf8)
        }

        if let earlier = analysis.associationKeys[pair.associationId] {
            throw .conflict(message: "association id \(pair.associationId) is already used by the entry at \(earlier)", position: earlier)
        }
        if let clash = analysis.uniqueness.clashes(of: pair).first {
            throw .conflict(message: "\(ConfigSchema.endpointKey(clash.side)) \(clash.message)", position: clash.holder.position)
        }

        let text = ConfigTextLayout(original)
        var container = analysis.rootValue
        var path = JSONPath.root
        // The root is an object (the loader checked); each section below is checked here.
        for (depth, sectionKey) in sectionKeys.enumerated() {
            guard let member = container.object?.member(named: sectionKey) else {
                // Build the missing sections and the pair in one new member.
                let missing = sectionValue(at: depth, key: key, value: outline)
                return text.inserting(member: sectionKey, value: missing, into: container)
            }
            path = path.appending(sectionKey)
            guard member.value.object != nil else {
                throw .notAnObject(path: path, found: member.value.kindDescription, position: member.value.range.start)
            }
            container = member.value
        }
        return text.inserting(member: key, value: outline, into: container)
    }

    /// `original` without the entry for `associationId` under the loopback transport's
    /// `create` (the first one, if the id is written twice). The bytes of the entry and of one
    /// separating comma and the whitespace around it are removed; a `create` left with no
    /// members becomes `{}`. The sections around it stay, even if empty.
    public static func removingPair(_ associationId: AssociationId, from original: [UInt8]) throws(ConfigEditError) -> [UInt8] {
        guard let analysis = try analyze(original) else { throw .pairNotFound(associationId) }
        var container = analysis.rootValue
        for sectionKey in sectionKeys {
            guard let member = container.object?.member(named: sectionKey), member.value.object != nil else {
                throw .pairNotFound(associationId)
            }
            container = member.value
        }
        guard let members = container.object?.members,
              let index = members.firstIndex(where: { member in
                  member.key != ConfigSchema.commentKey && (try? AssociationId(parsing: member.key)) == associationId
              })
        else { throw .pairNotFound(associationId) }

        let removed: Range<Int>
        if members.count == 1 {
            removed = (container.range.start.offset + 1)..<(container.range.end.offset - 1)
        } else if index == members.count - 1 {
            removed = members[index - 1].value.range.end.offset..<members[index].value.range.end.offset
        } else {
            removed = members[index].keyRange.start.offset..<members[index + 1].keyRange.start.offset
        }
        var result = original
        result.removeSubrange(removed)
        return result
    }

    // MARK: -

    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The keys from the top level down to the object that holds the pairs.
    static let sectionKeys = [ConfigSchema.transportSettingsKey, ConfigSchema.loopbackTransportId, ConfigSchema.createKey]

    /// The value of the section `sectionKeys[depth]` when it has to be created: the sections
    /// below it, wrapped around the one pair `key: value`.
    static func sectionValue(at depth: Int, key: String, value: JSONOutline) -> JSONOutline {
        var outline = JSONOutline.object([(key, value)])
        for sectionKey in sectionKeys[(depth + 1)...].reversed() {
            outline = .object([(sectionKey, outline)])
        }
        return outline
    }

    /// Parses and loads; nil for a missing or blank file; `.unparseable` for anything else that
    /// is not a JSON object.
    static func analyze(_ bytes: [UInt8]) throws(ConfigEditError) -> (rootValue: JSONValue, associationKeys: [AssociationId: JSONSourcePosition], uniqueness: ConfigPairUniqueness)? {
        do {
            guard let analysis = try ConfigLoader.analyze(bytes) else { return nil }
            return (analysis.rootValue, analysis.associationKeys, analysis.uniqueness)
        } catch {
            throw .unparseable(error)
        }
    }
}

/// The whitespace conventions of an existing file, and splicing a member into one of its
/// objects.
private struct ConfigTextLayout {
    let bytes: [UInt8]
    /// Writes in the file's line ending: CR LF if its first line ends so, else LF.
    let writer: JSONWriter

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        if let lf = bytes.firstIndex(of: 0x0A), lf > 0, bytes[lf - 1] == 0x0D {
            writer = .configuration(newline: "\r\n")
        } else {
            writer = .configuration(newline: "\n")
        }
    }

    /// The spaces and tabs that start the line holding `offset`.
    func lineIndent(at offset: Int) -> String {
        var start = offset
        while start > 0, bytes[start - 1] != 0x0A, bytes[start - 1] != 0x0D { start -= 1 }
        var end = start
        while end < bytes.count, bytes[end] == 0x20 || bytes[end] == 0x09 { end += 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The indentation of a member whose key starts at `offset`, if the key begins its line.
    func ownLineIndent(at offset: Int) -> String? {
        let indent = lineIndent(at: offset)
        var start = offset
        while start > 0, bytes[start - 1] == 0x20 || bytes[start - 1] == 0x09 { start -= 1 }
        let atLineStart = start == 0 || bytes[start - 1] == 0x0A || bytes[start - 1] == 0x0D
        return atLineStart ? indent : nil
    }

    /// `objectValue` (an object in `bytes`) with `"key": value` added as its last member.
    func inserting(member key: String, value: JSONOutline, into objectValue: JSONValue) -> [UInt8] {
        var result = bytes
        if let last = objectValue.object?.members.last {
            let indent = ownLineIndent(at: last.keyRange.start.offset)
                ?? lineIndent(at: objectValue.range.start.offset) + writer.indentUnit
            let text = "," + writer.newline + indent + writer.member(key, value, indent: indent)
            result.insert(contentsOf: Array(text.utf8), at: last.value.range.end.offset)
        } else {
            // An empty object: only whitespace between its braces, which the new member replaces.
            let outer = lineIndent(at: objectValue.range.start.offset)
            let indent = outer + writer.indentUnit
            let text = writer.newline + indent + writer.member(key, value, indent: indent) + writer.newline + outer
            result.replaceSubrange((objectValue.range.start.offset + 1)..<(objectValue.range.end.offset - 1), with: Array(text.utf8))
        }
        return result
    }
}
