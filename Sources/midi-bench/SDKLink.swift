// Replaced when the SDK lands.
enum SDKLink {
    static func sender(socketPath: String, endpoint: String) throws(BenchError) -> BenchSender {
        throw .process("the SDK path is not built yet")
    }
    static func receiver(socketPath: String, endpoint: String) throws(BenchError) -> BenchReceiver {
        throw .process("the SDK path is not built yet")
    }
}
extension SDKLink {
    static func ping(socketPath: String, count: Int) throws(BenchError) -> LatencySummary {
        throw .process("the SDK path is not built yet")
    }
    static func measureMemory(daemon: DaemonInstance, pairs: Int) throws(BenchError) -> BenchReport.Memory {
        throw .process("the SDK path is not built yet")
    }
}
