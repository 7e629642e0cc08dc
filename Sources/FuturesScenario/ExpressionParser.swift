import BigInt
/// Recursive descent over the grammar in `Expression`'s documentation.
enum ExpressionParser {
    static func parse(_ source: String) throws(SyntaxError) -> Expression {
        var parser = State(tokens: try tokenize(source), end: source.count)
        let expression = try parser.disjunction()
        if let extra = parser.peek {
            throw SyntaxError(message: "unexpected '\(extra.text)'", offset: extra.offset)
        }
        return expression
    }

    struct Token {
        enum Kind { case number, string, name, symbol }
        let kind: Kind
        let text: String
        let offset: Int
    }

    static func tokenize(_ source: String) throws(SyntaxError) -> [Token] {
        let characters = Array(source)
        var tokens: [Token] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let start = index
            if character == " " || character == "\t" {
                index += 1
            } else if character.isNumber {
                while index < characters.count, characters[index].isNumber || characters[index] == "." || characters[index] == "_" {
                    index += 1
                }
                // An exponent: 1e20, 2.5E-3.
                if index < characters.count, characters[index] == "e" || characters[index] == "E" {
                    var next = index + 1
                    if next < characters.count, characters[next] == "+" || characters[next] == "-" { next += 1 }
                    if next < characters.count, characters[next].isNumber {
                        index = next
                        while index < characters.count, characters[index].isNumber { index += 1 }
                    }
                }
                tokens.append(Token(kind: .number, text: String(characters[start..<index]), offset: start))
            } else if character.isLetter || character == "_" {
                while index < characters.count, characters[index].isLetter || characters[index].isNumber || characters[index] == "_" {
                    index += 1
                }
                tokens.append(Token(kind: .name, text: String(characters[start..<index]), offset: start))
            } else if character == "'" || character == "\"" {
                index += 1
                var text = ""
                while index < characters.count, characters[index] != character {
                    if characters[index] == "\\", index + 1 < characters.count { index += 1 }
                    text.append(characters[index])
                    index += 1
                }
                guard index < characters.count else { throw SyntaxError(message: "unterminated string", offset: start) }
                index += 1
                tokens.append(Token(kind: .string, text: text, offset: start))
            } else {
                let two = index + 1 < characters.count ? String(characters[index...index + 1]) : ""
                if ["==", "!=", "<=", ">=", "//", "**"].contains(two) {
                    tokens.append(Token(kind: .symbol, text: two, offset: start))
                    index += 2
                } else if "+-*/%<>()[],".contains(character) {
                    tokens.append(Token(kind: .symbol, text: String(character), offset: start))
                    index += 1
                } else {
                    throw SyntaxError(message: "unexpected character '\(character)'", offset: start)
                }
            }
        }
        return tokens
    }

    struct State {
        let tokens: [Token]
        let end: Int
        var position = 0

        init(tokens: [Token], end: Int) {
            self.tokens = tokens
            self.end = end
        }

        var peek: Token? { position < tokens.count ? tokens[position] : nil }

        mutating func take(_ symbol: String) -> Bool {
            guard let token = peek, token.kind == .symbol, token.text == symbol else { return false }
            position += 1
            return true
        }

        mutating func expect(_ symbol: String) throws(SyntaxError) {
            guard take(symbol) else {
                throw SyntaxError(message: "expected '\(symbol)'", offset: peek?.offset ?? end)
            }
        }

        /// A keyword (`and`, `or`, `not`), which the tokenizer reads as a name.
        mutating func take(keyword: String) -> Bool {
            guard let token = peek, token.kind == .name, token.text == keyword else { return false }
            position += 1
            return true
        }

        /// Nesting so far (parentheses, lists, calls, indexing, unary
        /// operators): past `maximumDepth`, a syntax error, not a stack overflow.
        /// A parenthesis or a list counts twice (an expression inside an
        /// operand): 200 is a hundred levels.
        var depth = 0
        static let maximumDepth = 200

        mutating func disjunction() throws(SyntaxError) -> Expression {
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maximumDepth else {
                throw SyntaxError(message: "the expression is nested more than 100 deep", offset: peek?.offset ?? end)
            }
            var left = try conjunction()
            while take(keyword: "or") { left = .logical(and: false, left, try conjunction()) }
            return left
        }

        mutating func conjunction() throws(SyntaxError) -> Expression {
            var left = try negation()
            while take(keyword: "and") { left = .logical(and: true, left, try negation()) }
            return left
        }

        mutating func negation() throws(SyntaxError) -> Expression {
            if take(keyword: "not") {
                depth += 1
                defer { depth -= 1 }
                guard depth <= Self.maximumDepth else {
                    throw SyntaxError(message: "the expression is nested more than 100 deep", offset: peek?.offset ?? end)
                }
                return .not(try negation())
            }
            return try comparison()
        }

        mutating func comparison() throws(SyntaxError) -> Expression {
            let left = try sum()
            for op in [BinaryOperator.equal, .notEqual, .lessOrEqual, .greaterOrEqual, .less, .greater] where take(op.rawValue) {
                return .binary(op, left, try sum())
            }
            return left
        }

        mutating func sum() throws(SyntaxError) -> Expression {
            var left = try product()
            while true {
                if take("+") { left = .binary(.add, left, try product()) }
                else if take("-") { left = .binary(.subtract, left, try product()) }
                else { return left }
            }
        }

        mutating func product() throws(SyntaxError) -> Expression {
            var left = try unary()
            while true {
                if take("*") { left = .binary(.multiply, left, try unary()) }
                else if take("//") { left = .binary(.floorDivide, left, try unary()) }
                else if take("/") { left = .binary(.divide, left, try unary()) }
                else if take("%") { left = .binary(.modulo, left, try unary()) }
                else { return left }
            }
        }

        mutating func unary() throws(SyntaxError) -> Expression {
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maximumDepth else {
                throw SyntaxError(message: "the expression is nested more than 100 deep", offset: peek?.offset ?? end)
            }
            if take("-") {
                let operand = try unary()
                switch operand {
                case .literal(.int(let number)): return .literal(.int(-number))
                case .literal(.double(let number)): return .literal(.double(-number))
                default: return .negate(operand)
                }
            }
            var base = try primary()
            while take("[") {
                let index = try disjunction()
                try expect("]")
                base = .index(base, index)
            }
            // `**` binds tighter than a unary minus on its left, looser on its right: -2**2 == -4, 2**-1 == 0.5.
            if take("**") { return .binary(.power, base, try unary()) }
            return base
        }

        mutating func arguments(closing: String) throws(SyntaxError) -> [Expression] {
            var items: [Expression] = []
            if take(closing) { return items }
            repeat { items.append(try disjunction()) } while take(",")
            try expect(closing)
            return items
        }

        mutating func primary() throws(SyntaxError) -> Expression {
            guard let token = peek else { throw SyntaxError(message: "expression expected", offset: end) }
            position += 1
            switch token.kind {
            case .number:
                let digits = token.text.filter { $0 != "_" }
                if let number = Int(digits) { return .literal(.int(number)) }
                // An integer literal past 64 bits is still an int, as in Python.
                if digits.allSatisfy(\.isNumber), let number = BigInt(digits) { return .literal(PythonNumbers.value(number)) }
                if let number = Double(digits) { return .literal(.double(number)) }
                throw SyntaxError(message: "bad number '\(token.text)'", offset: token.offset)
            case .string:
                return .literal(.string(token.text))
            case .name:
                switch token.text {
                case "True": return .literal(.bool(true))
                case "False": return .literal(.bool(false))
                case "None": return .literal(.none)
                default: break
                }
                if take("(") {
                    guard Expression.functions.contains(token.text) else {
                        throw SyntaxError(message: "unknown function '\(token.text)' (known: \(Expression.functions.sorted().joined(separator: ", ")))", offset: token.offset)
                    }
                    return .call(token.text, try arguments(closing: ")"))
                }
                return .name(VariableName(token.text))
            case .symbol:
                if token.text == "(" {
                    let inner = try disjunction()
                    try expect(")")
                    return inner
                }
                if token.text == "[" { return .list(try arguments(closing: "]")) }
                throw SyntaxError(message: "unexpected '\(token.text)'", offset: token.offset)
            }
        }
    }
}
