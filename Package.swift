// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "Regroup",
  products: [
    .executable(name: "regroup", targets: ["regroup"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
  ],
  targets: [
    // C library: GLPK (Debian's libglpk-dev) and a tiny C guard that contains its fatal errors.
    .systemLibrary(name: "CGLPK", providers: [.apt(["libglpk-dev"]), .brew(["glpk"])]),
    .target(name: "CGLPKGuard", dependencies: ["CGLPK"]),

    // Core libraries.
    .target(
      name: "LearnerStatus",
      dependencies: [.product(name: "TOMLKit", package: "TOMLKit")]),
    .target(name: "Solver", dependencies: ["CGLPK", "CGLPKGuard"]),
    .target(name: "Planning", dependencies: ["LearnerStatus", "Solver"]),
    .target(name: "Reports", dependencies: ["Planning", "LearnerStatus"]),
    .target(name: "SchoolGenerator", dependencies: ["LearnerStatus"]),
    .target(
      name: "Record",
      dependencies: ["LearnerStatus", "Planning", .product(name: "GRDB", package: "GRDB.swift")]),
    .target(
      name: "Simulation",
      dependencies: ["LearnerStatus", "Planning", .product(name: "TOMLKit", package: "TOMLKit")]),

    // Command-line tool.
    .executableTarget(
      name: "regroup",
      dependencies: [
        "LearnerStatus", "Planning", "Reports", "SchoolGenerator", "Record", "Simulation",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      path: "Sources/CLI"),

    // Benchmarks: a plain executable that prints a Markdown table (see Benchmarks/README.md).
    .executableTarget(
      name: "PlanDay",
      dependencies: ["Planning", "SchoolGenerator", "LearnerStatus"],
      path: "Benchmarks/PlanDay"),

    // Tests.
    .target(name: "TestSupport", dependencies: ["LearnerStatus"], path: "Tests/TestSupport"),
    .testTarget(name: "LearnerStatusTests", dependencies: ["LearnerStatus", "TestSupport"]),
    .testTarget(name: "SolverTests", dependencies: ["Solver", "TestSupport"]),
    .testTarget(
      name: "PlanningTests",
      dependencies: ["Planning", "LearnerStatus", "SchoolGenerator", "TestSupport"]),
    .testTarget(name: "ReportsTests", dependencies: ["Reports", "Planning", "TestSupport"]),
    .testTarget(
      name: "SchoolGeneratorTests", dependencies: ["SchoolGenerator", "LearnerStatus", "TestSupport"]),
    .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
    .testTarget(name: "RecordTests", dependencies: ["Record", "TestSupport"]),
    .testTarget(
      name: "SimulationTests", dependencies: ["Simulation", "SchoolGenerator", "TestSupport"]),
  ]
)
