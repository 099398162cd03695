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
    .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.20.0"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
    .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
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
    // A school's own exports: OneRoster 1.1/1.2 CSV sets (folder or zip) and CASE 1.0 packages.
    .target(
      name: "Interchange",
      dependencies: [
        "LearnerStatus", .product(name: "TOMLKit", package: "TOMLKit"),
        .product(name: "ZIPFoundation", package: "ZIPFoundation"),
      ]),
    .target(
      name: "Record",
      dependencies: [
        "LearnerStatus", "Planning", "Interchange", .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Crypto", package: "swift-crypto"),
      ]),
    .target(
      name: "Simulation",
      dependencies: ["LearnerStatus", "Planning", .product(name: "TOMLKit", package: "TOMLKit")]),

    // The school's web app (`regroup serve`): server-rendered pages over the record.
    .target(
      name: "Web",
      dependencies: [
        "LearnerStatus", "Planning", "Reports", "Record", "Simulation",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Mustache", package: "swift-mustache"),
        .product(name: "Crypto", package: "swift-crypto"),
      ]),

    // Command-line tool.
    .executableTarget(
      name: "regroup",
      dependencies: [
        "LearnerStatus", "Planning", "Reports", "SchoolGenerator", "Record", "Simulation", "Web",
        "Interchange",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Hummingbird", package: "hummingbird"),
      ],
      path: "Sources/CLI"),

    // Benchmarks: a plain executable that prints a Markdown table (see Benchmarks/README.md).
    .executableTarget(
      name: "PlanDay",
      dependencies: ["Planning", "SchoolGenerator", "LearnerStatus"],
      path: "Benchmarks/PlanDay"),

    // Re-plan benchmark: a generated school's published day after staff absences (issue 18).
    .executableTarget(
      name: "Replan",
      dependencies: ["Planning", "SchoolGenerator", "LearnerStatus"],
      path: "Benchmarks/Replan"),

    // Import benchmark: a generated district export (OneRoster 1.2 + CASE) into a record.
    .executableTarget(
      name: "ImportDistrict",
      dependencies: ["Interchange", "Record", "LearnerStatus"],
      path: "Benchmarks/ImportDistrict"),

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
    .testTarget(name: "CLITests", dependencies: ["TestSupport", "Interchange"]),
    .testTarget(name: "RecordTests", dependencies: ["Record", "TestSupport"]),
    .testTarget(
      name: "InterchangeTests",
      dependencies: ["Interchange", "Record", "LearnerStatus", "Planning", "TestSupport"]),
    .testTarget(
      name: "WebTests",
      dependencies: [
        "Web", "Record", "LearnerStatus", "SchoolGenerator", "TestSupport",
        .product(name: "HummingbirdTesting", package: "hummingbird"),
      ]),
    .testTarget(
      name: "SimulationTests", dependencies: ["Simulation", "Planning", "SchoolGenerator", "TestSupport"]),
  ]
)
