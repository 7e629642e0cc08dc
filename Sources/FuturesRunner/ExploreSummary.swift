import Foundation

/// What an exploration found: its runs sorted into outcome classes, the
/// distinct interleavings, the seeds that crashed their worker. Written as
/// `explore --json`, and read back by `explore --merge` to join shards.
public struct ExploreSummary: Codable, Sendable {
    public struct Shard: Codable, Sendable, Hashable, CustomStringConvertible {
        public var index: Int
        public var count: Int
        public init(index: Int, count: Int) {
            self.index = index
            self.count = count
        }
        public var description: String { "\(index)/\(count)" }

        /// The seeds of `runs` from `first` this shard takes: every `count`-th from `index`.
        public func seeds(first: UInt64, runs: Int) -> StrideTo<UInt64> {
            stride(from: first + UInt64(index), to: first + UInt64(runs), by: count)
        }
    }

    /// A run picked to stand for its class: its seed and its schedule's shape.
    public struct Example: Codable, Sendable, Equatable {
        public var seed: UInt64
        public var preemptions: Int
        public var steps: Int
        /// Where its schedule was saved (`--save-failing`), if it was.
        public var file: String?

        public init(seed: UInt64, preemptions: Int, steps: Int, file: String? = nil) {
            self.seed = seed
            self.preemptions = preemptions
            self.steps = steps
            self.file = file
        }

        /// Fewer preemptions first, then fewer steps, then the lower seed.
        func isShorter(than other: Example) -> Bool {
            (preemptions, steps, seed) < (other.preemptions, other.steps, other.seed)
        }
    }

    public struct OutcomeClass: Codable, Sendable {
        public var outcome: ExploreOutcome
        public var count: Int
        /// The lowest seeds that gave it (at most `ExploreSummary.seedsKept`).
        public var firstSeeds: [UInt64]
        /// The run of the class with the fewest preemptions.
        public var shortest: Example
        /// A failing class's schedule with preemptions removed while it still fails.
        public var minimal: Example?
    }

    public struct Crash: Codable, Sendable, Equatable {
        public var seed: UInt64
        public var reason: String
        public init(seed: UInt64, reason: String) {
            self.seed = seed
            self.reason = reason
        }
    }

    public static let seedsKept = 10

    public var scenario: String
    public var file: String
    public var strategy: String
    public var seedFrom: UInt64
    /// The seeds explored are `seedFrom ..< seedFrom + runs` (this shard's share of them).
    public var runs: Int
    /// The shards this summary covers (one, or those merged); empty: unsharded.
    public var shards: [Shard]
    /// Runs made (crashed seeds are not runs).
    public var completed: Int
    public var classes: [OutcomeClass]
    /// Every distinct schedule hash seen, sorted (hex): merged shards take their union.
    public var scheduleHashes: [String]
    public var crashes: [Crash]
    public var elapsedSeconds: Double
    /// Runs a second (absent for merged shards, which ran elsewhere).
    public var runsPerSecond: Double?
    /// Each recorded name: how many runs recorded each value.
    public var recorded: [String: [String: Int]]

    /// Distinct schedules among the runs (by hash).
    public var interleavings: Int
    /// Every run held every expectation and no worker crashed.
    public var passed: Bool { crashes.isEmpty && classes.allSatisfy(\.outcome.passed) }

    public init(scenario: String, file: String, strategy: String, seedFrom: UInt64, runs: Int, shards: [Shard]) {
        self.scenario = scenario
        self.file = file
        self.strategy = strategy
        self.seedFrom = seedFrom
        self.runs = runs
        self.shards = shards
        self.completed = 0
        self.classes = []
        self.scheduleHashes = []
        self.interleavings = 0
        self.crashes = []
        self.elapsedSeconds = 0
        self.recorded = [:]
    }

    // MARK: - Adding runs

    /// Adds one run (any order: classes keep their lowest seeds and shortest run).
    public mutating func add(seed: UInt64, outcome: ExploreOutcome, steps: Int, preemptions: Int) {
        completed += 1
        let example = Example(seed: seed, preemptions: preemptions, steps: steps)
        if let index = classes.firstIndex(where: { $0.outcome == outcome }) {
            classes[index].count += 1
            classes[index].firstSeeds = Self.lowest(classes[index].firstSeeds + [seed])
            if example.isShorter(than: classes[index].shortest) { classes[index].shortest = example }
        } else {
            classes.append(OutcomeClass(outcome: outcome, count: 1, firstSeeds: [seed], shortest: example))
        }
    }

    /// The distinct schedule hashes of all the runs added.
    public mutating func setHashes(_ hashes: Set<UInt64>) {
        scheduleHashes = hashes.map { hex($0) }.sorted()
        interleavings = scheduleHashes.count
    }

    /// Classes in a stable order (most runs first, then by the lowest
    /// seed), and the recorded values counted over them.
    public mutating func sortClasses() {
        classes.sort { ($0.count, $1.firstSeeds.first ?? 0) > ($1.count, $0.firstSeeds.first ?? 0) }
        recorded = [:]
        for outcomeClass in classes {
            for record in outcomeClass.outcome.records {
                recorded[record.name, default: [:]][record.value, default: 0] += outcomeClass.count
            }
        }
    }

    static func lowest(_ seeds: [UInt64]) -> [UInt64] {
        Array(Set(seeds).sorted().prefix(seedsKept))
    }

    // MARK: - Merging shards

    /// Joins summaries of shards of one exploration (same scenario, strategy,
    /// seeds and shard count, no shard twice), or says why they cannot be joined.
    public static func merge(_ parts: [(path: String, summary: ExploreSummary)]) -> Result<ExploreSummary, MergeError> {
        guard let first = parts.first?.summary else { return .failure(MergeError("nothing to merge")) }
        var merged = ExploreSummary(scenario: first.scenario, file: first.file, strategy: first.strategy,
                                    seedFrom: first.seedFrom, runs: first.runs, shards: [])
        var hashes = Set<String>()
        for (path, part) in parts {
            for (what, mine, theirs) in [("scenario", part.scenario, first.scenario), ("strategy", part.strategy, first.strategy),
                                         ("seeds", "\(part.seedFrom)+\(part.runs)", "\(first.seedFrom)+\(first.runs)")] where mine != theirs {
                return .failure(MergeError("\(path): another exploration (\(what) \(mine), not \(theirs))"))
            }
            if part.shards.isEmpty { return .failure(MergeError("\(path): not a shard (explored without --shard)")) }
            for shard in part.shards {
                if shard.count != first.shards.first?.count {
                    return .failure(MergeError("\(path): shard \(shard) is of another split than \(first.shards[0])"))
                }
                if merged.shards.contains(shard) { return .failure(MergeError("\(path): shard \(shard) is there twice")) }
                merged.shards.append(shard)
            }
            merged.completed += part.completed
            merged.elapsedSeconds += part.elapsedSeconds
            merged.crashes += part.crashes
            hashes.formUnion(part.scheduleHashes)
            for incoming in part.classes {
                guard let index = merged.classes.firstIndex(where: { $0.outcome == incoming.outcome }) else {
                    merged.classes.append(incoming)
                    continue
                }
                var joined = merged.classes[index]
                joined.count += incoming.count
                joined.firstSeeds = lowest(joined.firstSeeds + incoming.firstSeeds)
                if incoming.shortest.isShorter(than: joined.shortest) { joined.shortest = incoming.shortest }
                if let minimal = incoming.minimal, joined.minimal.map({ minimal.isShorter(than: $0) }) ?? true { joined.minimal = minimal }
                merged.classes[index] = joined
            }
        }
        merged.shards.sort { $0.index < $1.index }
        merged.crashes.sort { $0.seed < $1.seed }
        merged.scheduleHashes = hashes.sorted()
        merged.interleavings = hashes.count
        merged.sortClasses()
        return .success(merged)
    }

    public struct MergeError: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    // MARK: - JSON

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Every field encodes: a failure here is a bug, not bad input.
        let data = try! encoder.encode(self)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    public static func read(json data: Data) throws -> ExploreSummary {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(ExploreSummary.self, from: data)
    }
}

/// 16 hex digits.
func hex(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
}
