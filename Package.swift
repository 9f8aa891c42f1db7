// swift-tools-version: 6.0
// MIDI Services for Linux — the module layout is docs/design.md §1. Arrows point from user to used:
//   midi ──> MIDIServices ──> IPC ──> UMP, MIDIRules
//   midisrv ──> MIDIDaemon ──> ServiceCore ──> UMP
//                          ├─> IPC
//                          ├─> ALSASequencer ──> CALSA (alsa)
//                          └─> UdevDevices   ──> CUdev (libudev)
import PackageDescription

let package = Package(
    name: "midi-services",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "MIDIServices", targets: ["MIDIServices"]),
        .library(name: "UMP", targets: ["UMP"]),
        .executable(name: "midisrv", targets: ["midisrv"]),
        .executable(name: "midi", targets: ["midi"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // The version (VERSION) and the git commit, stamped at build time by the plugin below.
        .target(name: "BuildInfo", plugins: ["VersionStamp"]),
        .plugin(name: "VersionStamp", capability: .buildTool()),

        // System calls and errno below everything that makes them: the one errno type (Errno),
        // SystemError, and the retry-on-EINTR helper.
        .target(name: "POSIX"),
        // Pure Swift value types for Universal MIDI Packets. No I/O.
        .target(name: "UMP"),
        // The rules both sides of the process boundary follow: the EndpointDeviceId format, the
        // unique-identifier rule, name and loopback pair rules, the socket path rule. No I/O.
        .target(name: "MIDIRules"),
        // Endpoints, transports, routing, identities, config, metadata. Never imports an OS library.
        .target(name: "ServiceCore", dependencies: ["UMP", "MIDIRules"]),
        // Daemon ⇄ client wire format and the SOCK_SEQPACKET transport it travels on.
        .target(name: "IPC", dependencies: ["UMP", "POSIX", "MIDIRules"]),

        // Thin typed wrappers over the C libraries. They know nothing of loopbacks.
        .systemLibrary(name: "CALSA", pkgConfig: "alsa", providers: [.apt(["libasound2-dev"])]),
        .target(name: "ALSASequencer", dependencies: ["CALSA", "POSIX"]),
        .systemLibrary(name: "CUdev", pkgConfig: "libudev", providers: [.apt(["libudev-dev"])]),
        .target(name: "UdevDevices", dependencies: ["CUdev", "POSIX"]),
        // Linux headers the Glibc module leaves out (<sys/epoll.h>), for the daemon's event loop.
        .target(name: "CLinux"),

        // The daemon as a library (so tests reach it); `midisrv` is a thin wrapper.
        .target(name: "MIDIDaemon", dependencies: [
            "ServiceCore", "IPC", "POSIX", "UMP", "ALSASequencer", "UdevDevices", "CLinux", "BuildInfo",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "midisrv", dependencies: [
            "MIDIDaemon", "BuildInfo", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // The SDK applications link, and the console built on it.
        .target(name: "MIDIServices", dependencies: ["IPC", "POSIX", "UMP", "MIDIRules"]),
        .executableTarget(name: "midi", dependencies: [
            "MIDIServices", "POSIX", "UMP", "BuildInfo", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // The benchmark tool of scripts/bench (docs/performance.md): not part of the product, so it
        // lives in Benchmarks/, outside Sources/.
        .executableTarget(name: "midi-bench", dependencies: [
            "MIDIServices", "IPC", "POSIX", "UMP", "ALSASequencer", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Benchmarks/midi-bench"),

        .testTarget(name: "UMPTests", dependencies: ["UMP"]),
        // Also reads Sources/ to check that each rule is written once (RuleDefinitionTests).
        .testTarget(name: "MIDIRulesTests", dependencies: ["MIDIRules"]),
        .testTarget(name: "ServiceCoreTests", dependencies: ["ServiceCore", "UMP"]),
        .testTarget(name: "IPCTests", dependencies: ["IPC", "POSIX", "UMP"]),
        // MIDIDaemon, ServiceCore, UdevDevices, ALSASequencer: the USB device bridge's unit tests
        // (USB*Tests.swift) drive it in-process with pipes standing in for rawmidi substreams.
        .testTarget(name: "DaemonTests", dependencies: ["MIDIServices", "UMP", "IPC",
                                                        "MIDIDaemon", "ServiceCore", "UdevDevices", "ALSASequencer", "POSIX"]),
        // Need the kernel: they skip, printing why, unless /dev/snd/seq or udev is present (VM tier).
        .testTarget(name: "ALSASequencerTests", dependencies: ["ALSASequencer", "POSIX"]),
        .testTarget(name: "UdevDevicesTests", dependencies: ["UdevDevices"]),
    ],
    swiftLanguageModes: [.v6]
)
