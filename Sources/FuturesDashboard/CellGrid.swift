/// What a screen shows: a grid of cells, each one character with a style.
/// The renderer produces it (pure); the terminal backend draws it.
public struct CellGrid: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(" "), count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            cells[y * width + x] = newValue
        }
    }

    /// Writes `text` from (x, y), clipped at `limit` columns (default: the
    /// right edge); returns the column after the last character written.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: CellStyle = .plain, limit: Int? = nil) -> Int {
        guard y >= 0, y < height else { return x }
        let end = min(width, limit.map { x + $0 } ?? width)
        var column = x
        for character in text where column < end {
            if column >= 0 { self[column, y] = Cell(character, style) }
            column += 1
        }
        return column
    }

    /// Fills a rectangle with one cell.
    public mutating func fill(x: Int, y: Int, width: Int, height: Int, with cell: Cell) {
        for row in max(0, y)..<min(self.height, y + height) {
            for column in max(0, x)..<min(self.width, x + width) { self[column, row] = cell }
        }
    }

    /// Restyles a row segment (keeps the characters).
    public mutating func restyle(x: Int, y: Int, width: Int, _ change: (inout CellStyle) -> Void) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<min(self.width, x + width) { change(&cells[y * self.width + column].style) }
    }

    /// The characters of one row, trailing spaces kept.
    public func text(row: Int) -> String {
        String(cells[row * width..<(row + 1) * width].map(\.character))
    }

    /// Every row, trailing spaces removed: what snapshot tests compare.
    public var text: String {
        (0..<height).map { row in
            var line = text(row: row)
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n") + "\n"
    }
}

public struct Cell: Sendable, Equatable {
    public var character: Character
    public var style: CellStyle

    public init(_ character: Character, _ style: CellStyle = .plain) {
        self.character = character
        self.style = style
    }
}

/// A cell's look: a colour from a small palette and a few attributes.
public struct CellStyle: Sendable, Equatable, Hashable {
    public enum Color: Int, Sendable, CaseIterable {
        case normal, red, green, yellow, blue, magenta, cyan, gray
    }

    public var foreground: Color = .normal
    public var background: Color = .normal
    public var bold = false
    public var dim = false
    public var reverse = false

    public init(foreground: Color = .normal, background: Color = .normal, bold: Bool = false, dim: Bool = false, reverse: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
    }

    public static let plain = CellStyle()
    public static let bold = CellStyle(bold: true)
    public static let dim = CellStyle(dim: true)
    public static let reverse = CellStyle(reverse: true)
    public static func colored(_ color: Color, bold: Bool = false) -> CellStyle { CellStyle(foreground: color, bold: bold) }

    /// The same look without colour (`--no-color`, `NO_COLOR`).
    public var monochrome: CellStyle {
        CellStyle(bold: bold, dim: dim, reverse: reverse || background != .normal)
    }
}
