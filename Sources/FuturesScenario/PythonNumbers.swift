import BigInt
import Foundation

/// Python's numbers in the expression language: integers never overflow (a
/// value past 64 bits is a `BigInt`, and comes back to `Int` when it fits),
/// floor division and modulo round towards minus infinity, `round` rounds
/// half to even and keeps a float's digits as Python does, and a number that
/// must become a machine one (a count, an index, a duration) raises Python's
/// OverflowError or ValueError instead of trapping.
public enum PythonNumbers {
    /// Results larger than this many bits raise MemoryError (a scenario's
    /// numbers are counts and times; 2**1000000 is a mistake, not a value).
    public static let maximumBits = 1 << 20

    /// The value of `integer`: `.int` when it fits, else `.bigInt`.
    public static func value(_ integer: BigInt) -> Value {
        if let small = Int(exactly: integer) { return .int(small) }
        return .bigInt(integer)
    }

    /// The integer a value holds (bool counts, as in Python), if any.
    static func integer(_ value: Value) -> BigInt? {
        switch value {
        case .int(let number): BigInt(number)
        case .bigInt(let number): number
        case .bool(let flag): flag ? 1 : 0
        default: nil
        }
    }

    /// A float from an integer, or Python's OverflowError.
    static func float(_ integer: BigInt) throws(EvaluationError) -> Double {
        let converted = Double(integer)
        guard converted.isFinite else { throw EvaluationError("OverflowError: int too large to convert to float") }
        return converted
    }

    /// `a op b` for two integers, exactly.
    static func integerArithmetic(_ op: BinaryOperator, _ x: Int, _ y: Int) throws(EvaluationError) -> Value {
        switch op {
        case .add:
            let (sum, overflow) = x.addingReportingOverflow(y)
            return overflow ? value(BigInt(x) + BigInt(y)) : .int(sum)
        case .subtract:
            let (difference, overflow) = x.subtractingReportingOverflow(y)
            return overflow ? value(BigInt(x) - BigInt(y)) : .int(difference)
        case .multiply:
            let (product, overflow) = x.multipliedReportingOverflow(by: y)
            return overflow ? value(BigInt(x) * BigInt(y)) : .int(product)
        case .floorDivide, .modulo:
            guard y != 0 else { throw EvaluationError("ZeroDivisionError: integer division or modulo by zero") }
            if x == .min && y == -1 { return op == .floorDivide ? value(-BigInt(x)) : .int(0) }
            var (quotient, remainder) = x.quotientAndRemainder(dividingBy: y)
            if remainder != 0 && (remainder < 0) != (y < 0) {
                quotient -= 1
                remainder += y
            }
            return .int(op == .floorDivide ? quotient : remainder)
        default:
            return try bigArithmetic(op, BigInt(x), BigInt(y))
        }
    }

    /// `a op b` when either integer is past 64 bits.
    static func bigArithmetic(_ op: BinaryOperator, _ x: BigInt, _ y: BigInt) throws(EvaluationError) -> Value {
        switch op {
        case .add: return try checked(x + y)
        case .subtract: return try checked(x - y)
        case .multiply:
            guard x.bitWidth + y.bitWidth <= maximumBits else { throw tooLarge }
            return value(x * y)
        case .divide:
            guard y != 0 else { throw EvaluationError("ZeroDivisionError: division by zero") }
            return .double(try float(x) / float(y))
        case .floorDivide, .modulo:
            guard y != 0 else { throw EvaluationError("ZeroDivisionError: integer division or modulo by zero") }
            var (quotient, remainder) = x.quotientAndRemainder(dividingBy: y)
            if remainder != 0 && (remainder.signum() < 0) != (y.signum() < 0) {
                quotient -= 1
                remainder += y
            }
            return value(op == .floorDivide ? quotient : remainder)
        case .power:
            return try power(x, y)
        case .less: return .bool(x < y)
        case .lessOrEqual: return .bool(x <= y)
        case .greater: return .bool(x > y)
        case .greaterOrEqual: return .bool(x >= y)
        case .equal: return .bool(x == y)
        case .notEqual: return .bool(x != y)
        }
    }

    /// `x ** y`: an int for a non-negative exponent, a float otherwise.
    static func power(_ x: BigInt, _ y: BigInt) throws(EvaluationError) -> Value {
        if y.signum() < 0 {
            guard x != 0 else { throw EvaluationError("ZeroDivisionError: 0.0 cannot be raised to a negative power") }
            return .double(pow(try float(x), try float(y)))
        }
        if x == 0 || x == 1 || y == 0 { return .int(y == 0 ? 1 : Int(x)) }
        if x == -1 { return .int(y.isMultiple(of: 2) ? 1 : -1) }
        guard let exponent = Int(exactly: y), exponent.multipliedReportingOverflow(by: x.magnitude.bitWidth).partialValue <= maximumBits,
              exponent <= maximumBits else { throw tooLarge }
        return value(x.power(exponent))
    }

    static func checked(_ result: BigInt) throws(EvaluationError) -> Value {
        guard result.bitWidth <= maximumBits else { throw tooLarge }
        return value(result)
    }

    static var tooLarge: EvaluationError { EvaluationError("MemoryError: the integer would have more than \(maximumBits) bits") }

    /// Python's `round(x)` (an int, halves to even) and `round(x, n)` (a
    /// float correctly rounded to n decimal places; n past a float's
    /// precision gives x back, as in Python).
    static func round(_ arguments: [Value]) throws(EvaluationError) -> Value {
        guard let first = arguments.first, arguments.count <= 2 else { throw EvaluationError("TypeError: round() takes a number and at most a number of digits") }
        if arguments.count == 2, case .none = arguments[1] { return try round([first]) }
        if let integer = integer(first) {
            guard arguments.count == 2 else { return value(integer) }
            guard let digits = self.integer(arguments[1]) else { throw EvaluationError("TypeError: 'float' object cannot be interpreted as an integer") }
            guard digits.signum() < 0 else { return value(integer) }
            // round(1234, -2) == 1200, halves to even.
            guard let places = Int(exactly: -digits), places < 10_000 else { return .int(0) }
            let scale = BigInt(10).power(places)
            var (quotient, remainder) = integer.quotientAndRemainder(dividingBy: scale)
            if remainder.signum() < 0 { quotient -= 1; remainder += scale }
            let twice = remainder * 2
            if twice > scale || (twice == scale && !quotient.isMultiple(of: 2)) { quotient += 1 }
            return value(quotient * scale)
        }
        guard case .double(let x) = first else { throw EvaluationError("TypeError: type \(first.typeName) doesn't define __round__ method") }
        guard arguments.count == 2 else {
            guard !x.isNaN else { throw EvaluationError("ValueError: cannot convert float NaN to integer") }
            guard x.isFinite else { throw EvaluationError("OverflowError: cannot convert float infinity to integer") }
            let rounded = x.rounded(.toNearestOrEven)
            if let small = Int(exactly: rounded) { return .int(small) }
            return value(BigInt(rounded))
        }
        guard let digits = self.integer(arguments[1]) else { throw EvaluationError("TypeError: 'float' object cannot be interpreted as an integer") }
        guard x.isFinite else { return .double(x) }
        // Past 17 significant digits a float has nothing left to round; far
        // below its magnitude, everything rounds to zero (with x's sign).
        if digits > 340 { return .double(x) }
        if digits < -340 { return .double(x.sign == .minus ? -0.0 : 0.0) }
        let places = Int(digits)
        if places >= 0 {
            // The shortest decimal that reads back as x, correctly rounded to `places`.
            let text = String(format: "%.\(places)f", x)
            return .double(Double(text) ?? x)
        }
        let scale = pow(10.0, Double(-places))
        let rounded = (x / scale).rounded(.toNearestOrEven) * scale
        return .double(rounded.isFinite ? rounded : (x.sign == .minus ? -0.0 : 0.0))
    }

    /// An integer argument that must be a machine integer (a count, an
    /// index, a range's bound): Python's OverflowError past 64 bits.
    public static func machineInteger(_ value: Value, _ what: String) throws(EvaluationError) -> Int {
        switch value {
        case .int(let number): return number
        case .bool(let flag): return flag ? 1 : 0
        case .bigInt: throw EvaluationError("OverflowError: Python int too large to convert to C ssize_t")
        default: throw EvaluationError("TypeError: \(what) needs an integer, not '\(value.typeName)'")
        }
    }
}
