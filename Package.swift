// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Clearwater",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "clearwater", targets: ["clearwater"]),
        .library(name: "ClearwaterCore", targets: ["ClearwaterCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"]), .brew(["cmark"])]
        ),
        .target(name: "CommonMark", dependencies: ["CCmark"]),
        .systemLibrary(
            name: "CXXHash",
            pkgConfig: "libxxhash",
            providers: [.apt(["libxxhash-dev"]), .brew(["xxhash"])]
        ),
        .systemLibrary(
            name: "COpenSSLCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl"])]
        ),
        .target(name: "CLinux"),
        .target(
            name: "ClearwaterCore",
            dependencies: [
                "CommonMark",
                "CLinux",
                "CXXHash",
                "COpenSSLCrypto",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .target(
            name: "ClearwaterServer",
            dependencies: [
                "ClearwaterCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "clearwater",
            dependencies: [
                "ClearwaterCore",
                "ClearwaterServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "TestSupport", dependencies: ["ClearwaterCore"], path: "Tests/Support"),
        .testTarget(name: "ClearwaterCoreTests", dependencies: ["ClearwaterCore", "CommonMark", "TestSupport"]),
        .testTarget(name: "ClearwaterEndToEndTests", dependencies: ["ClearwaterCore", "TestSupport", .product(name: "Crypto", package: "swift-crypto")]),
    ],
    swiftLanguageModes: [.v6]
)
