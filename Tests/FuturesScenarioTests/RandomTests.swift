import FuturesModel
import FuturesRunner
@testable import FuturesScenario
import Testing

/// Seeded randomness in expressions (`random()`, `uniform`, `randint`,
/// `choice`, `shuffle`): the same seed gives the same draws, run after run
/// and in both runtimes; each thread draws from its own stream.
@Suite("Seeded randomness")
struct RandomTests {
    /// Main, two started threads and two pool tasks each log their draws.
    static func program(extraThread: Bool = false) -> String {
        """
        title: draws
        runtime: {kind: deterministic, seed: 3}
        executors:
          - {name: pool, kind: thread, max_workers: 2}
        tasks:
          draw:
            params: [who]
            steps:
              - sleep: "= uniform(0.01, 0.05)"
              - log: "{who}: {randint(1, 6)} {choice(['a', 'b', 'c'])} {shuffle([1, 2, 3, 4, 5])} {random()}"
        main:
          - log: "main: {random()}"
          - start_thread: {task: draw, args: ["t1"], name: "one", as: t1}
        \(extraThread ? "  - start_thread: {task: draw, args: [\"extra\"], name: \"extra\", as: t3}\n" : "")\
          - start_thread: {task: draw, args: ["t2"], name: "two", as: t2}
          - submit: {executor: pool, task: draw, args: ["p1"]}
          - submit: {executor: pool, task: draw, args: ["p2"]}
          - join: [t1, t2]
        """
    }

    /// Each drawer's line, by who drew it.
    static func draws(_ text: String, seed: UInt64 = 3, runtime: RuntimeSpec.Kind = .deterministic) throws -> [String: String] {
        let scenario = try ScenarioParser.parse(text, file: "inline.yaml").get()
        let result = ScenarioRunner.run(scenario, options: RunOptions(seed: seed, runtime: runtime))
        #expect(result.exitCode == .success, "\(result.uncaughtError ?? "")")
        var lines: [String: String] = [:]
        for entry in result.model.log {
            guard let colon = entry.message.firstIndex(of: ":") else { continue }
            lines[String(entry.message[..<colon])] = String(entry.message[colon...])
        }
        return lines
    }

    @Test("the same seed gives the same draws in two runs, for main, started threads and pool tasks")
    func sameSeedSameDraws() throws {
        let first = try Self.draws(Self.program())
        #expect(Set(first.keys).isSuperset(of: ["main", "t1", "t2", "p1", "p2"]))
        #expect(try Self.draws(Self.program()) == first)
    }

    @Test("the same seed gives the same draws natively as deterministically")
    func sameDrawsAcrossRuntimes() throws {
        #expect(try Self.draws(Self.program(), runtime: .native) == (try Self.draws(Self.program())))
    }

    @Test("another seed gives other draws")
    func otherSeedOtherDraws() throws {
        let three = try Self.draws(Self.program())
        let four = try Self.draws(Self.program(), seed: 4)
        #expect(three["main"] != four["main"])
        #expect(three["t1"] != four["t1"])
    }

    @Test("adding a thread does not change another thread's draws")
    func threadsHaveTheirOwnStreams() throws {
        let without = try Self.draws(Self.program())
        let with = try Self.draws(Self.program(extraThread: true))
        #expect(with["extra"] != nil)
        for who in ["main", "t1", "t2", "p1", "p2"] { #expect(with[who] == without[who], "\(who)") }
        // Threads draw differently from one another.
        #expect(without["t1"] != without["t2"])
        #expect(without["p1"] != without["p2"])
    }

    @Test("ranges and errors as Python's: randint is inclusive, uniform within its bounds, choice of an empty list raises IndexError, randint(6, 1) ValueError")
    func rangesAndErrors() throws {
        let stream = RandomStream(seed: 1, key: "k")
        var seen = Set<Int>()
        for _ in 0..<2_000 {
            guard case .int(let n) = try stream.call("randint", [.int(1), .int(6)]) else { Issue.record("not an int"); return }
            #expect((1...6).contains(n))
            seen.insert(n)
            guard case .double(let x) = try stream.call("uniform", [.double(2.5), .int(3)]) else { Issue.record("not a float"); return }
            #expect(x >= 2.5 && x <= 3)
            guard case .double(let r) = try stream.call("random", []) else { Issue.record("not a float"); return }
            #expect(r >= 0 && r < 1)
        }
        #expect(seen == Set(1...6))
        #expect(throws: EvaluationError.self) { try stream.call("choice", [.list([])]) }
        do {
            _ = try stream.call("choice", [.list([])])
        } catch { #expect(error.description == "IndexError: Cannot choose from an empty sequence") }
        do {
            _ = try stream.call("randint", [.int(6), .int(1)])
        } catch { #expect(error.description == "ValueError: empty range in randrange(6, 1 + 1)") }
        guard case .list(let shuffled) = try stream.call("shuffle", [.list((1...10).map { .int($0) })]) else {
            Issue.record("shuffle gave no list"); return
        }
        #expect(shuffled.count == 10 && Set(shuffled.map(\.description)) == Set((1...10).map(String.init)))
    }

    @Test("random() where no thread runs (an expectation) is an error that says so")
    func noStreamOutsideARun() throws {
        let expression = try ExpressionParser.parse("random()")
        do {
            _ = try expression.evaluate(in: [String: Value]())
            Issue.record("random() evaluated outside a run")
        } catch { #expect(error.description.contains("not available here")) }
    }
}
