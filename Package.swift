// swift-tools-version: 6.0
import PackageDescription

/// The core's hot paths are generic (`submit<T>`, `Future<T>`): without
/// cross-module optimisation every call from another module looks up generic
/// metadata at run time. Exclusivity is enforced by the core's own locks (every
/// shared `var` is documented with the lock that guards it), so the runtime's
/// dynamic exclusivity checks are switched off in release builds only.
let coreSettings: [SwiftSetting] = [
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
    ],
    targets: [
        // The only C in the project: the futex-backed parker and thread naming.
        .target(name: "CFuturesShim"),
        // The trace schema, recorder, reader and exporters: what the core
        // reports and what viewers read. Depends on nothing of ours.
        .target(name: "FuturesTrace", swiftSettings: coreSettings),
        .target(
            name: "FuturesCore",
            dependencies: [
                "CFuturesShim",
                "FuturesTrace",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: coreSettings
        ),
        // What a run did, built from trace events alone (live runs and replays).
        .target(name: "FuturesModel", dependencies: ["FuturesTrace"]),
        // Headless reports, JSON summaries and SVG timelines, from the model.
        .target(name: "FuturesReport", dependencies: ["FuturesModel"]),
        // ncursesw, through a system-library target; only FuturesTerminal imports it.
        .systemLibrary(name: "CNcurses", pkgConfig: "ncursesw", providers: [.apt(["libncurses-dev"])]),
        // The terminal backend: draws cell grids, reads keys, restores the terminal.
        .target(name: "FuturesTerminal", dependencies: ["CNcurses", "FuturesDashboard"]),
        // ProcessPoolExecutor: real worker processes, tasks registered by name.
        .target(
            name: "FuturesProcess",
            dependencies: ["FuturesCore", "CFuturesShim", .product(name: "DequeModule", package: "swift-collections")],
            swiftSettings: coreSettings
        ),
        // The Cookbook's threading toolkit on the runtime seam: locks, events,
        // conditions, semaphores, queues, pollable queues, actors, pub/sub.
        .target(
            name: "FuturesSync",
            dependencies: ["FuturesCore", .product(name: "DequeModule", package: "swift-collections")],
            swiftSettings: coreSettings
        ),
        // Real network experiments on 127.0.0.1: the flag server (SwiftNIO),
        // the flag download client (URLSession), the echo server and its load.
        .target(
            name: "FuturesNet",
            dependencies: [
                "FuturesCore",
                "FuturesSync",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // The dashboard, pure: state, keys, and render(state, size) → cells.
        .target(name: "FuturesDashboard", dependencies: ["FuturesModel", "FuturesReport", "FuturesTrace"]),
        // Scenario files: the typed model, the YAML reader and its checks.
        .target(
            name: "FuturesScenario",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        // zlib, for the Cookbook's gzip web logs.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Runs a scenario on the core, headless, and checks its expectations.
        .target(
            name: "FuturesRunner",
            dependencies: ["FuturesScenario", "FuturesCore", "FuturesModel", "FuturesProcess", "FuturesSync", "FuturesNet", "CZlib"]
        ),
        .executableTarget(
            name: "futureslab",
            dependencies: [
                "FuturesCore",
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
                "FuturesCore",
                "FuturesNet",
                "FuturesDashboard",
                "FuturesProcess",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "FuturesCoreTests",
            dependencies: [
                "FuturesCore",
                "FuturesTrace",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "FuturesScenarioTests",
            dependencies: ["FuturesScenario", "FuturesRunner", "FuturesModel", "FuturesReport", "FuturesTrace", "futureslab"],
            exclude: ["Goldens", "Malformed"]
        ),
        .testTarget(
            name: "FuturesSyncTests",
            dependencies: ["FuturesSync", "FuturesCore"]
        ),
        .testTarget(
            name: "FuturesNetTests",
            dependencies: ["FuturesNet", "FuturesCore"]
        ),
        .testTarget(
            name: "FuturesProcessTests",
            dependencies: ["FuturesProcess", "FuturesCore", "futureslab"]
        ),
        .testTarget(
            name: "FuturesDashboardTests",
            dependencies: ["FuturesDashboard", "FuturesModel", "FuturesRunner", "FuturesScenario", "FuturesTrace", "futureslab"],
            exclude: ["Snapshots"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
