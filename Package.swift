// swift-tools-version: 6.0
import PackageDescription

/// The core's hot paths are generic (`submit<T>`, `Future<T>`): without
/// cross-module optimisation every call from another module looks up generic
/// metadata at run time. Exclusivity is enforced by the core's own locks (every
/// shared `var` is documented with the lock that guards it), so the runtime's
/// dynamic exclusivity checks are switched off in release builds only.
/// Every file imports what it uses: a member of a module the file does not
/// import is an error (without this, a module that only reached `CoreEvent`
/// through another was not rebuilt when `CoreEvent` changed).
let imports: [SwiftSetting] = [.enableUpcomingFeature("MemberImportVisibility")]

let coreSettings: [SwiftSetting] = imports + [
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "futureslab",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "FuturesCore", targets: ["FuturesCore"]),
        .executable(name: "futureslab", targets: ["futureslab"]),
        .executable(name: "futureslab-bench", targets: ["futureslab-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.1"),
    ],
    targets: [
        // The only C in the project: the futex-backed parker and thread naming.
        .target(name: "CFuturesShim"),
        // The trace schema: typed events, wait reasons, deadlock reports, the
        // header and the JSON Lines codec. Depends on nothing of ours: viewers
        // need only this and the model (as tokio-console's viewer needs only
        // console-api).
        .target(name: "FuturesTraceSchema", swiftSettings: coreSettings),
        // The recording side: what the core reports (`CoreEvent`, `TraceSink`)
        // and the recorder that turns it into trace events.
        .target(name: "FuturesTrace", dependencies: ["CFuturesShim", "FuturesTraceSchema"], swiftSettings: coreSettings),
        .target(
            name: "FuturesCore",
            dependencies: [
                "CFuturesShim",
                "FuturesTraceSchema",
                "FuturesTrace",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: coreSettings
        ),
        // What a run did, built from trace events alone (live runs and replays).
        .target(name: "FuturesModel", dependencies: ["FuturesTraceSchema"]),
        // Headless reports, JSON summaries, SVG timelines and the Chrome
        // export, from the model and the events.
        .target(name: "FuturesReport", dependencies: ["FuturesModel", "FuturesTraceSchema"]),
        // ncursesw, through a system-library target; only FuturesTerminal imports it.
        .systemLibrary(name: "CNcurses", pkgConfig: "ncursesw", providers: [.apt(["libncurses-dev"])]),
        // The terminal backend: draws cell grids, reads keys, restores the terminal.
        .target(name: "FuturesTerminal", dependencies: ["CNcurses", "FuturesDashboard"]),
        // ProcessPoolExecutor: real worker processes, tasks registered by name.
        .target(
            name: "FuturesProcess",
            dependencies: ["FuturesCore", "FuturesTraceSchema", "FuturesTrace", "CFuturesShim", .product(name: "DequeModule", package: "swift-collections")],
            swiftSettings: coreSettings
        ),
        // The Cookbook's threading toolkit on the runtime seam: locks, events,
        // conditions, semaphores, queues, pollable queues, actors, pub/sub.
        .target(
            name: "FuturesSync",
            dependencies: ["FuturesCore", "FuturesTraceSchema", "FuturesTrace", .product(name: "DequeModule", package: "swift-collections")],
            swiftSettings: coreSettings
        ),
        // Real network experiments on 127.0.0.1: the flag server (SwiftNIO),
        // the flag download client (URLSession), the echo server and its load.
        .target(
            name: "FuturesNet",
            dependencies: [
                "FuturesCore",
                "FuturesTraceSchema",
                "FuturesTrace",
                "FuturesSync",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // The dashboard, pure: state, keys, and render(state, size) → cells.
        .target(name: "FuturesDashboard", dependencies: ["FuturesModel", "FuturesTraceSchema"]),
        // Scenario files: the typed model, the YAML reader and its checks.
        .target(
            name: "FuturesScenario",
            // BigInt: Python's ints do not overflow, and neither do a scenario's.
            dependencies: [.product(name: "Yams", package: "Yams"), .product(name: "BigInt", package: "BigInt")],
            // explore runs a scenario thousands of times: the interpreter's
            // generic expression evaluation must be specialised across modules.
            swiftSettings: coreSettings
        ),
        // zlib, for the Cookbook's gzip web logs.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Runs a scenario on the core, headless, and checks its expectations.
        .target(
            name: "FuturesRunner",
            dependencies: [
                "FuturesScenario", "FuturesCore", "FuturesTraceSchema", "FuturesTrace", "FuturesModel", "FuturesProcess",
                "FuturesSync", "FuturesNet", "CZlib",
            ],
            swiftSettings: coreSettings
        ),
        .executableTarget(
            name: "futureslab",
            dependencies: [
                "FuturesCore",
                "FuturesTraceSchema",
                "FuturesTrace",
                "FuturesScenario",
                "FuturesRunner",
                "FuturesModel",
                "FuturesReport",
                "FuturesDashboard",
                "FuturesTerminal",
                "FuturesProcess",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "futureslab-bench",
            dependencies: [
                "CFuturesShim",
                "FuturesCore",
                "FuturesTraceSchema",
                "FuturesTrace",
                "FuturesModel",
                "FuturesNet",
                "FuturesDashboard",
                "FuturesProcess",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // The JVM's side, compiled by the benchmark at run time.
            exclude: ["JavaBaseline.java"]
        ),
        .testTarget(
            name: "FuturesCoreTests",
            dependencies: [
                "FuturesCore",
                "FuturesTraceSchema",
                "FuturesTrace",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "FuturesTraceSchemaTests", dependencies: ["FuturesTraceSchema"]),
        // The recorded traces the viewers' tests read.
        .target(name: "TraceFixtures", dependencies: ["FuturesTraceSchema"], path: "Tests/TraceFixtures"),
        .testTarget(name: "FuturesModelTests", dependencies: ["FuturesModel", "FuturesTraceSchema", "TraceFixtures"]),
        .testTarget(name: "FuturesReportTests", dependencies: ["FuturesReport", "FuturesModel", "FuturesTraceSchema", "TraceFixtures"]),
        .testTarget(
            name: "FuturesScenarioTests",
            dependencies: ["FuturesScenario", "FuturesRunner", "FuturesModel", "FuturesReport", "FuturesTraceSchema", "FuturesTrace", "futureslab"],
            exclude: ["Goldens", "Malformed", "SchemaCheck", "Fuzzed"]
        ),
        .testTarget(
            name: "FuturesSyncTests",
            dependencies: ["FuturesSync", "FuturesCore", "FuturesTraceSchema", "FuturesTrace"]
        ),
        .testTarget(
            name: "FuturesNetTests",
            dependencies: ["FuturesNet", "FuturesCore", "FuturesTraceSchema", "FuturesTrace"]
        ),
        .testTarget(
            name: "FuturesProcessTests",
            dependencies: ["FuturesProcess", "FuturesCore", "FuturesTraceSchema", "FuturesTrace", "futureslab"]
        ),
        .testTarget(
            name: "FuturesDashboardTests",
            dependencies: ["FuturesDashboard", "FuturesModel", "FuturesReport", "FuturesTraceSchema", "TraceFixtures", "CFuturesShim", "futureslab"],
            exclude: ["Snapshots"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// Every Swift target checks its imports (`coreSettings` include it).
for target in package.targets where target.type != .system {
    let settings = target.swiftSettings ?? []
    if !settings.contains(where: { "\($0)".contains("MemberImportVisibility") }) {
        target.swiftSettings = settings + imports
    }
}
