import Foundation
import PackagePlugin

/// Stamps the `BuildInfo` module with the version in `VERSION` and the git commit, before every
/// build (a prebuild command: SwiftPM cannot know when HEAD moves, so it asks each time; the
/// script rewrites its output only when the text changes). A clean clone builds with plain
/// `swift build`: nothing generated is checked in, and without git the commit is left out.
@main
struct VersionStamp: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let output = context.pluginWorkDirectoryURL.appending(path: "generated")
        return [
            .prebuildCommand(
                displayName: "Stamping BuildInfo with VERSION and the git commit",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [root.appending(path: "scripts/lib/version-stamp.sh").path, root.path, output.path],
                outputFilesDirectory: output),
        ]
    }
}
