import Foundation

/// How both reports write numbers: µs with one decimal, ratios as "1.23×", rates grouped by
/// thousands, column padding.
enum Format {
    static func micros(_ nanoseconds: UInt64) -> String { String(format: "%.1f", Double(nanoseconds) / 1000) }
    static func ratio(_ value: Double) -> String { String(format: "%.2f×", value) }
    static func rate(_ value: Double) -> String { grouped(Int(value.rounded())) }
    /// 1.23M / 456k: for ranges in narrow columns.
    static func compact(_ value: Double) -> String {
        value >= 1_000_000 ? String(format: "%.2fM", value / 1_000_000) : String(format: "%.0fk", value / 1000)
    }
    static func grouped(_ value: Int) -> String {
        let digits = String(abs(value))
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return value < 0 ? "-" + out : out
    }
    static func pad(_ text: String, _ width: Int, right: Bool = true) -> String {
        let count = text.count
        guard count < width else { return text }
        let fill = String(repeating: " ", count: width - count)
        return right ? fill + text : text + fill
    }
}
