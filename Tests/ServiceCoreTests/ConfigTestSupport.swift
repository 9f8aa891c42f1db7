import Testing
@testable import ServiceCore

/// The example configuration section of seed 000 ("About the Loopback Transport"), verbatim,
/// wrapped in `{` `}` because a configuration file is one JSON object.
let seedConfiguration = #"""
{
"endpointTransportPluginSettings":
{
    "{942BF02D-93C0-4EA8-B03E-D51156CA75E1}":
    {
        "_comment": "Loopback MIDI",

        "create":
        {
            "{0C1B3439-593F-4B7A-8950-4698D97B0897}":
            {
                "_comment" : "the above GUID is the unique association Id for this pair",
                "endpointA":
                {
                    "name": "Perm Loopback 1A",
                    "description": "This is a loopback I created in the configuration file",
                    "uniqueIdentifier": "3263827"
                },
                "endpointB":
                {
                    "name": "Perm Loopback 1B",
                    "description": "This is the b-side of the loopback I created in the configuration file",
                    "uniqueIdentifier": "3263827"
                }
            },
            "{B21B4973-3F85-48A0-8BA3-B35F44683D36}":
            {
                "_comment" : "the above GUID is the unique association Id for this pair",
                "endpointA":
                {
                    "name": "Perm Loopback 2A",
                    "description": "This is a loopback I created in the configuration file",
                    "uniqueIdentifier": "5150-1984"
                },
                "endpointB":
                {
                    "name": "Perm Loopback 2B",
                    "description": "This is the b-side of the loopback I created in the configuration file",
                    "uniqueIdentifier": "OU812"
                }
            }
        }
    }
}
}

"""#

let loopbackTransport = "{942BF02D-93C0-4EA8-B03E-D51156CA75E1}"
let createPathText = "endpointTransportPluginSettings.{942BF02D-93C0-4EA8-B03E-D51156CA75E1}.create"

/// A whole configuration file whose `create` object holds `entries` (JSON member text).
func configuration(_ entries: String...) -> String {
    """
    {
        "endpointTransportPluginSettings": {
            "\(loopbackTransport)": {
                "create": {
    \(entries.joined(separator: ",\n"))
                }
            }
        }
    }
    """
}

/// One `create` entry as JSON member text.
func entry(_ guid: String, a: (name: String, id: String), b: (name: String, id: String), extra: String = "") -> String {
    """
    "\(guid)": {
        "endpointA": { "name": "\(a.name)", "uniqueIdentifier": "\(a.id)" },
        "endpointB": { "name": "\(b.name)", "uniqueIdentifier": "\(b.id)" }\(extra)
    }
    """
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

func load(_ text: String) throws -> ConfigLoadResult { try ConfigLoader.load(bytes(text)) }

/// 1-based line and column (in Unicode scalars) of the `occurrence`-th `needle` in `text`,
/// counted independently of the parser.
func lineColumn(of needle: String, in text: String, occurrence: Int = 1) -> (line: Int, column: Int)? {
    let scalars = Array(text.unicodeScalars)
    let target = Array(needle.unicodeScalars)
    var seen = 0
    var line = 1, column = 1
    var i = 0
    while i < scalars.count {
        if scalars.count - i >= target.count, Array(scalars[i..<i + target.count]) == target {
            seen += 1
            if seen == occurrence { return (line, column) }
        }
        if scalars[i] == "\n" { line += 1; column = 1 } else { column += 1 }
        i += 1
    }
    return nil
}

func pair(_ guidText: String, _ aName: String, _ aId: String, _ bName: String, _ bId: String,
          descriptionA: String? = nil, descriptionB: String? = nil, groupCount: Int? = nil) throws -> ConfiguredLoopbackPair {
    try ConfiguredLoopbackPair(
        associationId: AssociationId(parsing: guidText),
        endpointA: .init(name: aName, description: descriptionA, uniqueIdentifier: UniqueIdentifier(validating: aId)),
        endpointB: .init(name: bName, description: descriptionB, uniqueIdentifier: UniqueIdentifier(validating: bId)),
        groupCount: groupCount.map { try ConfiguredLoopbackPair.GroupCount($0) })
}
