@testable import ClearwaterCore
import CommonMark
import Crypto
import Foundation
import Testing
import TestSupport

@Suite struct ValuesTests {
    @Test(arguments: ["91350100M000100Y43", "91430200MA4L00000L"])
    func acceptsValidCreditCodes(_ code: String) {
        #expect(CreditCode.problem(in: code) == nil)
    }

    @Test func rejectsWrongCheckCharacterLengthAndAlphabet() {
        #expect(CreditCode.problem(in: "91350100M000100Y44") == .checkCharacter(expected: "3", found: "4"))
        #expect(CreditCode.problem(in: "913501") == .length(6))
        #expect(CreditCode.problem(in: "91350100M000100I43") == .character("I", position: 16))
    }

    /// A table's labels, worked out once, are the codebook's own for every key, whether the
    /// codebook is short enough to be searched key by key or long enough to be hashed.
    @Test func aTablesLabelsAreTheCodebooks() {
        for size in [3, 40] {
            let keys = (0..<size).map { "k\($0)" }
            let labels = Dictionary(uniqueKeysWithValues: keys.map { ($0, Localized(["zh": "中\($0)", "en": $0 == "k1" ? "" : "en \($0)"])) })
            let codebook = Codebook(name: "test", keys: keys, labels: labels)
            for language in ["zh", "en", "fr"] {
                let table = CodebookLabels(codebook, in: language)
                for key in keys + ["unknown", ""] {
                    #expect(table(key) == codebook.label(key, in: language), "\(size) keys, \(language), \(key)")
                }
                #expect(table(nil) == "")
            }
        }
    }

    /// A chart's scale ends at the smallest 1, 2, 2.5 or 5 × 10ⁿ at or above its largest value,
    /// the power of ten found from the value's digits as stepping by tens finds it.
    @Test func aChartsScaleEndsAtARoundNumber() {
        func stepping(_ value: Decimal) -> Decimal {
            var magnitude = Decimal(1)
            while magnitude * 10 <= value { magnitude *= 10 }
            while magnitude > value { magnitude /= 10 }
            return ([1, 2, 2.5, 5, 10] as [Decimal]).lazy.map { magnitude * $0 }.first { $0 >= value }!
        }
        // With the last, significands of 17 to 20 digits: the widest the integers hold, and
        // those they do not, which go on in `Decimal`.
        let samples = ["0.00042", "0.01", "0.034", "0.66", "1", "1.5", "2", "2.4", "2.5", "2.51", "9.99", "10", "10.01", "99.5", "100", "350",
                       "999.99", "1000", "4999", "5001", "123456789", "250000", "0.1", "0.25", "12345678901234567", "1844674407370955161.5",
                       "2500000000000000000", "18446744073709551615", "0.000000000000000000001"]
        for text in samples {
            let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))!
            #expect(BarChart.niceCeiling(value) == stepping(value), "\(text)")
        }
        #expect(BarChart.niceCeiling(Decimal(string: "350")!) == 500)
        #expect(BarChart.niceCeiling(Decimal(string: "0.034")!) == Decimal(string: "0.05")!)
        #expect(BarChart.niceCeiling(0) == 0)
    }

    /// A chart's ticks stand at each quarter of its scale, labelled as the figures beside them
    /// are printed: rounded to two decimals, grouped by thousands.
    @Test(arguments: [("350", ["0", "125", "250", "375", "500"]), ("0.034", ["0", "0.01", "0.03", "0.04", "0.05"]),
                      ("1800000", ["0", "500,000", "1,000,000", "1,500,000", "2,000,000"]), ("2.2", ["0", "0.63", "1.25", "1.88", "2.5"])])
    func aChartsTicksQuarterItsScale(_ largest: String, _ labels: [String]) {
        let value = Decimal(string: largest, locale: Locale(identifier: "en_US_POSIX"))!
        let chart = BarChart(id: "c", title: "T", series: ["S"], groups: [BarChart.Group(label: "2020", values: [value])], axisLabel: "kg", summary: "")
        let svg = chart.svg()
        let ticks = svg.split(separator: "<text class=\"chart-tick\"").dropFirst().map { $0.split(separator: ">")[1].split(separator: "<")[0] }
        #expect(ticks.map(String.init) == labels)
        #expect(svg.contains("x=\"0.00%\"") && svg.contains("x=\"57.00%\"") && svg.contains("x=\"76.00%\""))
    }

    /// Placeholders are filled in one pass: a value's own braces stay as they are, as does a
    /// name no value is given for, and text around them in any script is kept byte for byte.
    @Test func interfaceStringsFillTheirPlaceholders() {
        #expect(PageEnvironment.fill("{year}年排放{amount}千克", with: ["amount": "1,234.50", "year": "2020"]) == "2020年排放1,234.50千克")
        #expect(PageEnvironment.fill("{a} and {b}", with: ["a": "{b}", "b": "B"]) == "{b} and B")
        #expect(PageEnvironment.fill("{unknown} stays, {} too", with: ["a": "A"]) == "{unknown} stays, {} too")
        #expect(PageEnvironment.fill("an open { brace", with: ["a": "A"]) == "an open { brace")
        #expect(PageEnvironment.fill("", with: ["a": "A"]) == "")
        #expect(PageEnvironment.fill("{a}{a}", with: ["a": "é"]) == "éé")
    }

    /// The digests that tell a rebuild what changed are XXH3's, printed as `xxhsum -H2` prints
    /// them, and the same whether the bytes come whole or piece by piece.
    @Test func contentDigestsAreXXH3AndIndependentOfHowBytesArrive() {
        #expect(ContentDigest(of: [UInt8]()).hex == "99aa06d3014798d86001c324468d497f")
        let text = Array("clearwater".utf8)
        #expect(ContentDigest(of: text).hex == "950797336a60ce0be02da5237571158c")
        let long = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 7) }
        let hasher = ContentHasher()
        for start in stride(from: 0, to: long.count, by: 777) { hasher.update(long[start..<min(start + 777, long.count)]) }
        #expect(hasher.digest == ContentDigest(of: long))
        hasher.reset()
        hasher.update(text)
        #expect(hasher.digest == ContentDigest(of: text))
        var changed = long
        changed[50_000] ^= 1
        #expect(ContentDigest(of: changed) != ContentDigest(of: long))
    }

    /// Names are put in order through Core Foundation with one locale (`NameCollation`); it must
    /// order exactly as Foundation's locale-aware, case-insensitive `compare` does.
    @Test(arguments: ["zh@collation=pinyin", "en"])
    func namesCollateAsFoundationCollatesThem(locale identifier: String) {
        var random = SeededGenerator(seed: 7)
        let pieces = ["株", "洲", "冶", "炼", "厂", "清", "水", "塘", "啊", "安", "霞", "湾", "长", "重", "行", "A", "a", "Z", "z",
                      "É", "é", "ß", "1", "10", "2", " ", "-", "（", "）", "(", "Ａ", "ｂ", "·", "&"]
        let names = (0..<300).map { _ in (0..<Int.random(in: 1...6, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined() }
        let collation = NameCollation(localeIdentifier: identifier)
        let locale = Locale(identifier: identifier)
        var pairs = (0..<3_000).map { _ in (names.randomElement(using: &random)!, names.randomElement(using: &random)!) }
        // Names that differ in case or width alone: where the options matter.
        pairs += names.flatMap { [($0, $0.uppercased()), ($0.lowercased(), $0), ($0, $0.applyingTransform(.fullwidthToHalfwidth, reverse: true) ?? $0)] }
        for (first, second) in pairs {
            #expect(collation.compare(collation.key(first), collation.key(second)) == first.compare(second, options: [.caseInsensitive], locale: locale), "\(first) vs \(second)")
        }
    }

    @Test func daysAreRealCalendarDays() {
        #expect(Day("2020-02-29") != nil)
        #expect(Day("2019-02-29") == nil)
        #expect(Day("2020-13-01") == nil)
        #expect(Day("2020-1-01") == nil)
        #expect(Day("2020-04-31") == nil)
        #expect(Day("2021-06-01")!.description == "2021-06-01")
        // Written digit by digit: every day of a few years at both ends of the range, padded.
        for year in [1, 9, 10, 99, 999, 1000, 2016, 2020, 9999] {
            for month in 1...12 {
                for day in 1...Day.length(ofMonth: month, in: year) {
                    let date = Day(year: year, month: month, day: day)!
                    let expected = String(format: "%04d-%02d-%02d", year, month, day)
                    #expect(date.description == expected)
                    #expect(Day(date.description) == date)
                }
            }
        }
    }

    /// Integers appended as digits (manifest lines, digests) read as Swift prints them, at every
    /// length, both signs and both ends of the 64-bit range, after whatever the bytes held.
    /// A text given storage of its own for a thread (`unshared`) reads the same, and a long one
    /// no longer shares the original's storage, whose reference count two cores would fight over.
    @Test func unsharedTextsReadTheSameFromStorageOfTheirOwn() throws {
        let long = String(repeating: "株洲市城市污水处理厂", count: 3), short = "湘江"
        func storage(_ text: String) -> UnsafeRawPointer? {
            var text = text
            return text.withUTF8 { UnsafeRawPointer($0.baseAddress) }
        }
        #expect(long.unshared == long && short.unshared == short)
        #expect(storage(long.unshared) != storage(long))
        let name = Localized(["zh": long, "en": "Zhuzhou municipal sewage works"])
        #expect(name.unshared == name)
        #expect(storage(name.unshared["zh"]!) != storage(name["zh"]!))
        // A theme's copy for one thread's pages has every interface string, each of its own.
        let theme = try #require(Theme.load(directory: FixtureSite.themes.appendingPathComponent("default"), displayPath: "Themes/default", languages: ["zh", "en"]).0)
        let copy = theme.unshared()
        #expect(copy.strings == theme.strings && copy.digest == theme.digest)
        let longest = try #require(theme.strings["zh"]?.max { $0.value.utf8.count < $1.value.utf8.count })
        #expect(longest.value.utf8.count > 15 && storage(copy.strings["zh"]![longest.key]!) != storage(longest.value))
    }

    @Test func integersAreAppendedAsSwiftPrintsThem() {
        var random = SeededGenerator(seed: 1207)
        var values: [Int64] = [0, 1, 9, 10, 99, 100, -1, -9, -10, .max, .min]
        for digits in 1...18 { values += [Int64.random(in: 0..<Int64(pow(10, Double(digits))), using: &random), -Int64(digits)] }
        for value in values {
            var bytes = Array("x".utf8)
            bytes.appendDecimal(value)
            #expect(String(decoding: bytes, as: UTF8.self) == "x\(value)")
        }
        var largest = Array("y".utf8)
        largest.appendDecimal(UInt64.max)
        #expect(String(decoding: largest, as: UTF8.self) == "y\(UInt64.max)")
    }

    /// Amounts are formatted from the `Decimal`'s storage, not through Foundation: for sums,
    /// products, roundings and very large and small values alike it must print what Foundation
    /// prints, or fall back to it.
    @Test func decimalsPrintAsFoundationPrintsThem() {
        #expect(DecimalParts.layoutMatches)
        var random = SeededGenerator(seed: 1129)
        let posix = Locale(identifier: "en_US_POSIX")
        func reference(_ value: Decimal, places: Int) -> Decimal {
            var input = value
            var result = Decimal()
            NSDecimalRound(&result, &input, places, .plain)
            return result
        }
        var values: [Decimal] = ["0", "-0.0000001", "0.0000005", "-2.5000005", "12.3456785", "0.005", "-0.005", "1.996", "999999.9999995",
                                 "18446744073709551615", "18446744073709551616", "123456789012345678901234567890", "0.000000000000000000001"]
            .map { Decimal(string: $0, locale: posix)! }
        for _ in 0..<3_000 {
            let digits = String((0..<Int.random(in: 1...22, using: &random)).map { _ in "0123456789".randomElement(using: &random)! })
            let point = Int.random(in: 0...digits.count, using: &random)
            var value = Decimal(string: String(digits.prefix(point)) + "." + String(digits.dropFirst(point)) + "0", locale: posix)!
            if Bool.random(using: &random) { value = value * Decimal(Int.random(in: -3...1000, using: &random)) }
            if Bool.random(using: &random) { value = value + values[Int.random(in: 0..<values.count, using: &random)] }
            values.append(value)
        }
        for value in values {
            #expect(NumberFormat.plain(value) == value.description, "\(value)")
            for places in [1, 2, 6] {
                #expect(NumberFormat.rounded(value, places: places) == reference(value, places: places), "\(value) to \(places)")
            }
            let rounded = reference(value, places: 2).description
            #expect(NumberFormat.kilograms(value).replacingOccurrences(of: ",", with: "").hasPrefix(rounded == "0" ? "0" : rounded), "\(value)")
        }
    }

    /// Compared from their storage while they fit 64 bits, and by Foundation after: always as
    /// Foundation's operators order them, signs, zeros, equal values written differently and
    /// values too far apart to align included.
    @Test func decimalsCompareAsFoundationComparesThem() {
        var random = SeededGenerator(seed: 1130)
        let posix = Locale(identifier: "en_US_POSIX")
        var values: [Decimal] = ["0", "-0", "0.0", "1", "1.0", "1.00", "-1", "-1.50", "-1.5", "0.000001", "-0.000001", "18446744073709551615",
                                 "18446744073709551616", "-18446744073709551615", "123456789012345678901234567890", "0.000000000000000000001", "1e30", "1e-30"]
            .map { Decimal(string: $0, locale: posix)! }
        for _ in 0..<400 {
            let digits = String((0..<Int.random(in: 1...21, using: &random)).map { _ in "0123456789".randomElement(using: &random)! })
            let point = Int.random(in: 0...digits.count, using: &random)
            let sign = Bool.random(using: &random) ? "-" : ""
            values.append(Decimal(string: sign + String(digits.prefix(point)) + "." + String(digits.dropFirst(point)), locale: posix)!)
        }
        for a in values {
            for b in values.shuffled(using: &random).prefix(60) + [a, -a, a * 10, a / 10] {
                let expected: ComparisonResult = a < b ? .orderedAscending : a > b ? .orderedDescending : .orderedSame
                #expect(DecimalParts.compare(a, b) == expected, "\(a) and \(b)")
            }
        }
    }

    /// Sums run in 64-bit integers while they fit and in `Decimal` after: always the exact sum.
    @Test func sumsAreExactWhateverTheirSize() {
        var random = SeededGenerator(seed: 29)
        let posix = Locale(identifier: "en_US_POSIX")
        for run in 0..<200 {
            var sum = DecimalSum()
            var reference = Decimal(0)
            for _ in 0..<Int.random(in: 1...60, using: &random) {
                let digits = run % 10 == 0 ? 19 : Int.random(in: 1...9, using: &random)
                let text = String((0..<digits).map { _ in "0123456789".randomElement(using: &random)! })
                let places = Int.random(in: 0...min(digits, 6), using: &random)
                let value = Decimal(string: String(text.dropLast(places)) + (places > 0 ? "." + String(text.suffix(places)) : ""), locale: posix)!
                sum.add(value)
                reference += value
            }
            #expect(sum.total == reference && NumberFormat.plain(sum.total) == reference.description, "run \(run)")
        }
    }

    @Test func decimalsAreStrictAndExact() throws {
        #expect(try DecimalText.parse("0.1").get() + DecimalText.parse("0.2").get() == DecimalText.parse("0.3").get())
        // The fast path for up to 18 digits gives what Decimal(string:) gives, value and text.
        var random = SeededGenerator(seed: 18)
        let fixed = ["0", "000.000", "007", "12.50", "0.001", "999999999999999999", "123456789.123456789", "1000", "10.0"]
        let generated = (0..<2_000).map { _ -> String in
            let whole = String((0..<Int.random(in: 1...9, using: &random)).map { _ in "0123456789".randomElement(using: &random)! })
            let fraction = String((0..<Int.random(in: 0...9, using: &random)).map { _ in "0123456789".randomElement(using: &random)! })
            return fraction.isEmpty ? whole : whole + "." + fraction
        }
        for text in fixed + generated {
            let reference = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
            let parsed = try? DecimalText.parse(text).get()
            #expect(parsed == reference && parsed?.description == reference?.description, "\(text)")
        }
        #expect(DecimalText.parse("-1") == .failure(.negative))
        #expect(DecimalText.parse("1,234.5") == .failure(.thousandsSeparator))
        #expect(DecimalText.parse("１２") == .failure(.fullWidth))
        #expect(DecimalText.parse("1e3") == .failure(.malformed))
        #expect(DecimalText.parse(".5") == .failure(.malformed))
        #expect(DecimalText.parse("") == .failure(.empty))
    }

    @Test func unitsConvertToKilogramsExactly() {
        #expect(Mass(Decimal(string: "0.1")!, .t).kilograms == 100)
        #expect(Mass(200, .g).kilograms == Decimal(string: "0.2")!)
        // The exponent is moved, not multiplied: the same value and digits as the multiplication,
        // for amounts of every length `DecimalText` reads.
        let values = ["0", "1", "0.001", "71.7", "21060.43", "1000000", "123456789012345678", "123456789012345678901234567890",
                      "0.00000000000000000000000000001", "99999999999999999999.9999999999"].compactMap { try? DecimalText.parse($0).get() }
        #expect(values.count == 10)
        for value in values {
            for unit in [MassUnit.g, .t] {
                let product = value * Decimal(sign: .plus, exponent: unit == .g ? -3 : 3, significand: 1)
                #expect(Mass(value, unit).kilograms == product && Mass(value, unit).kilograms.description == product.description, "\(value) \(unit)")
            }
        }
    }

    /// Excel's "CSV UTF-8" starts with a byte-order mark: dropped, in the bytes handed over as
    /// in a copy of the caller's, and everything after it kept.
    @Test func aByteOrderMarkIsDroppedAndNothingElse() {
        var diagnostics = Diagnostics()
        let text = Array("id,name_zh\r\nalpha,甲\r\n".utf8)
        let marked: [UInt8] = [0xEF, 0xBB, 0xBF] + text
        #expect(TextFile.utf8(marked, path: "d.csv", encoding: nil, diagnostics: &diagnostics) == text)
        #expect(marked.count == text.count + 3)
        var handedOver = marked
        handedOver.append(0x0A)
        #expect(TextFile.utf8(consume handedOver, path: "d.csv", encoding: nil, diagnostics: &diagnostics) == text + [0x0A])
        #expect(TextFile.utf8(text, path: "d.csv", encoding: nil, diagnostics: &diagnostics) == text)
        #expect(TextFile.utf8([0xEF, 0xBB, 0xBF], path: "d.csv", encoding: nil, diagnostics: &diagnostics) == [])
        #expect(!diagnostics.hasErrors)
        // Bytes that are not UTF-8 after the mark are an error where they are.
        #expect(TextFile.utf8([0xEF, 0xBB, 0xBF, 0x61, 0xFF], path: "d.csv", encoding: nil, diagnostics: &diagnostics) == nil)
        #expect(diagnostics.all.map(\.description).first?.hasPrefix("d.csv:1:3: error: the file is not valid UTF-8 (byte offset 4)") == true)
    }

    /// The check that skips ASCII a word at a time and reads sequences by hand agrees with the
    /// standard library's, and finds the first bad sequence where it starts, on every kind of
    /// text: multi-byte characters at each place in a word, sequences cut short by ASCII or by
    /// the end, stray continuation bytes, overlong forms, surrogates, code points past U+10FFFF
    /// and bytes never valid.
    @Test func utf8IsCheckedAsTheStandardLibraryChecksIt() {
        var random = SeededGenerator(seed: 2026)
        let pieces: [[UInt8]] = [
            Array("a,1\r\n".utf8), Array("甲".utf8), Array("é".utf8), Array("😀".utf8), Array("株洲市清水塘".utf8),
            [0x80], [0xBF], [0xC0, 0x80], [0xC2], [0xE0, 0x80, 0x80], [0xE6, 0xA0], [0xED, 0xA0, 0x80], [0xF0, 0x9F, 0x98],
            [0xF4, 0x90, 0x80, 0x80], [0xF5], [0xFF], Array("01234567".utf8),
            [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xEF, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF], [0xC1, 0xBF],
            [0xE0, 0x9F, 0xBF], [0xF0, 0x8F, 0xBF, 0xBF], [0xF1, 0x80, 0x80],
        ]
        for length in 0..<400 {
            var bytes: [UInt8] = []
            for _ in 0..<(length % 40) { bytes += pieces[Int.random(in: 0..<pieces.count, using: &random)] }
            let checked = TextFile.isValidUTF8(bytes.span)
            #expect(checked == (String(validating: bytes, as: UTF8.self) != nil), "\(bytes)")
            // Where it is not, the bytes before the first bad sequence are.
            if let invalid = TextFile.firstInvalidByte(in: bytes.span) {
                #expect(String(validating: bytes[..<invalid], as: UTF8.self) != nil, "\(bytes) before \(invalid)")
            }
        }
        // Every lead byte with every second byte, then none to two continuation bytes: where the
        // ranges of well-formed sequences differ, one by one.
        for lead in 0...255 {
            for second in 0...255 {
                for continuations in 0...2 {
                    let bytes = [UInt8(lead), UInt8(second)] + Array(repeating: 0x80, count: continuations)
                    let checked = TextFile.isValidUTF8(bytes.span)
                    if checked != (String(validating: bytes, as: UTF8.self) != nil) { Issue.record("\(bytes)") }
                }
            }
        }
        let valid = Array(String(repeating: "enterprise-1,2020,Pb,air,1.5,kg,株洲\r\n", count: 50).utf8)
        let validChecked = TextFile.isValidUTF8(valid.span)
        #expect(validChecked)
        for place in stride(from: 0, to: valid.count, by: 7) {
            var damaged = valid
            damaged[place] = 0xFF
            let invalid = TextFile.firstInvalidByte(in: damaged.span)
            // At the byte, or at the start of the character it broke.
            #expect(invalid.map { (place - 3...place).contains($0) && String(validating: damaged[..<$0], as: UTF8.self) != nil } == true, "0xFF at \(place)")
        }
    }

    /// A rebuild checks as UTF-8 only what changed in a text a previous build checked
    /// (`TextFile.checked(trusting:)`): a damaged byte just past the trusted start or just
    /// before the trusted end is found, also where it cuts short a character that begins in the
    /// one or goes on into the other.
    @Test func aTextIsCheckedWhereItChangedFromOneCheckedBefore() {
        let text = Array(String(repeating: "株洲,2020,Pb\r\n", count: 12).utf8)
        func passes(_ bytes: [UInt8], trusting trusted: (Int, Int)) -> Bool {
            var diagnostics = Diagnostics()
            let read = TextBytes(copying: bytes)
            let checked = TextFile.checked(TextFile.Unchecked(file: read, body: read), path: "d.csv", encoding: nil, trusting: trusted, diagnostics: &diagnostics)
            #expect((checked == nil) == diagnostics.hasErrors)
            return checked != nil
        }
        #expect(passes(text, trusting: (0, 0)) && passes(text, trusting: (text.count, 0)) && passes(text, trusting: (10, text.count - 20)))
        for place in text.indices {
            for damage: UInt8 in [0xFF, 0x41, 0xB9] {
                var damaged = text
                damaged[place] = damage
                guard String(validating: damaged, as: UTF8.self) == nil else { continue }
                // Every byte before the damaged one trusted, or every byte after it, or both.
                #expect(!passes(damaged, trusting: (place, 0)), "\(damage) at \(place) after a trusted start")
                #expect(!passes(damaged, trusting: (0, text.count - place - 1)), "\(damage) at \(place) before a trusted end")
                #expect(!passes(damaged, trusting: (place, text.count - place - 1)), "\(damage) at \(place) between both")
            }
        }
    }

    /// The SHA-256 whose state a build keeps is SHA-256, and a kept state goes on where it was
    /// (`ResumableSHA256`): bytes fed in two parts, the state kept as bytes between them, give
    /// the digest of all of them; bytes that are no state are refused.
    @Test func aKeptSHA256StateGoesOnWhereItWas() throws {
        var random = SeededGenerator(seed: 5)
        for length in [0, 1, 55, 56, 63, 64, 65, 1_000, 100_000] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            let whole = SHA256.hash(data: bytes).hex
            for cut in Set([0, length / 3, length]) {
                var first = ResumableSHA256()
                bytes[..<cut].withUnsafeBytes { first.update($0) }
                var resumed = try #require(ResumableSHA256(state: ResumableSHA256.State(bytes: first.state.bytes)))
                #expect(resumed.byteCount == cut)
                bytes[cut...].withUnsafeBytes { resumed.update($0) }
                #expect(resumed.finalize() == whole, "\(length) bytes cut at \(cut)")
            }
        }
        #expect(ResumableSHA256(state: ResumableSHA256.State(bytes: [1, 2, 3])) == nil)
        // Its last field is the digest's length, 32.
        var damaged = ResumableSHA256().state.bytes
        damaged[damaged.count - 4] = 7
        #expect(ResumableSHA256(state: ResumableSHA256.State(bytes: damaged)) == nil)
    }

    @Test func numbersAreGroupedAndPercentagesRounded() {
        #expect(NumberFormat.kilograms(Decimal(string: "21060.43")!) == "21,060.43")
        #expect(NumberFormat.kilograms(Decimal(string: "1103.4")!) == "1,103.40")
        #expect(NumberFormat.grouped(Decimal(string: "1234567.125")!) == "1,234,567.125")
        #expect(NumberFormat.percent(Decimal(string: "0.6")!) == "60%")
        #expect(NumberFormat.percent(Decimal(string: "0.05833")!) == "5.8%")
    }

    /// The stores' checksum is CRC-32C: the standard check value, the same in pieces as
    /// whole, and the same as the bit-at-a-time definition over bytes of every value, of any
    /// length and from any start: around and across the three 8 KB blocks it runs side by side.
    @Test func theChecksumIsCRC32C() {
        func checksum(_ bytes: [UInt8]) -> UInt32 {
            var checksum = Checksum()
            bytes.withUnsafeBytes { checksum.update($0) }
            return checksum.value
        }
        #expect(checksum(Array("123456789".utf8)) == 0xE306_9283)
        var generator = SeededGenerator(seed: 7)
        let bytes = (0..<1_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var reference: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            reference ^= UInt32(byte)
            for _ in 0..<8 { reference = (reference >> 1) ^ (0x82F6_3B78 & (0 &- (reference & 1))) }
        }
        #expect(checksum(bytes) == ~reference)
        var pieces = Checksum()
        for cut in [bytes[..<3], bytes[3..<500], bytes[500...]] { cut.withUnsafeBytes { pieces.update($0) } }
        #expect(pieces.value == ~reference && pieces.bytes == withUnsafeBytes(of: (~reference).bigEndian, Array.init))

        let long = (0..<(6 * 8192 + 64)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for start in [0, 1, 3] {
            for length in [0, 1, 7, 8, 9, 3 * 8192 - 1, 3 * 8192, 3 * 8192 + 1, 3 * 8192 + 13, 6 * 8192, long.count - start] {
                let piece = Array(long[start..<(start + length)])
                var bitwise: UInt32 = 0xFFFF_FFFF
                for byte in piece {
                    bitwise ^= UInt32(byte)
                    for _ in 0..<8 { bitwise = (bitwise >> 1) ^ (0x82F6_3B78 & (0 &- (bitwise & 1))) }
                }
                #expect(checksum(piece) == ~bitwise, "\(length) bytes from \(start)")
            }
        }
    }

    /// A trend's change worked out in integers reads as the `Decimal` division it replaces
    /// would, halves rounded away from zero included; values it cannot hold are left to `Decimal`.
    @Test func percentChangesMatchDecimalArithmetic() {
        let pairs = [("120", "98.5"), ("8", "9"), ("3", "4"), ("0.16", "0.1608"), ("0.4", "0.5002"), ("7", "7"), ("2000", "1.25"), ("0.03", "0"),
                     ("13.37", "1000000.01"), ("1", "0.0005"), ("1", "0.00049")]
        for (first, last) in pairs {
            let (from, to) = (Decimal(string: first)!, Decimal(string: last)!)
            let fraction = (to - from) / from
            let expected = (fraction > 0 ? "+" : fraction < 0 ? "−" : "±") + NumberFormat.percent(abs(fraction))
            #expect(DecimalParts.percentChange(from: from, to: to) != nil, "\(first) → \(last) fits in integers")
            #expect(NumberFormat.percentChange(from: from, to: to) == expected, "\(first) → \(last)")
        }
        // Beyond 64 bits: left to `Decimal`.
        let tiny = Decimal(string: "0.00000000000000000001")!
        #expect(NumberFormat.percentChange(from: tiny, to: 1000) == "+" + NumberFormat.percent((1000 - tiny) / tiny))
        #expect(DecimalParts.percentChange(from: 0, to: 1) == nil)
        #expect(DecimalParts.percentChange(from: Decimal(string: "-1")!, to: 1) == nil)
        #expect(DecimalParts.percentChange(from: tiny, to: 1000) == nil)
    }

    @Test func baseURLKeepsItsSubPath() {
        #expect(BaseURL("https://example.org/disclosure")?.path == "/disclosure/")
        #expect(BaseURL("https://example.org")?.path == "/")
        #expect(BaseURL("example.org/x") == nil)
        #expect(BaseURL("javascript://x") == nil)
    }

    @Test func suggestionsFindCloseWords() {
        #expect(Suggestion.closest(to: "Pd", among: ["Pb", "Hg", "Cd"]) == "Pb")
        #expect(Suggestion.closest(to: "operatng", among: ["operating", "closed"]) == "operating")
        #expect(Suggestion.closest(to: "zzzzzz", among: ["operating"]) == nil)
    }

    @Test func markdownIsSafeByDefaultAndRootLinksFollowTheBasePath() {
        let html = CommonMark.html(from: "<script>alert(1)</script>\n\n[x](javascript:alert(1)) [t](/en/targets/)")
        #expect(!html.contains("<script>"))
        #expect(!html.contains("javascript:"))
        #expect(LinkRewriter(basePath: "/sub/").rewrite(html).contains("href=\"/sub/en/targets/\""))
        #expect(LinkRewriter(basePath: "/sub/").rewrite("<a href=\"//cdn.example/x\">").contains("href=\"//cdn.example/x\""))
        let cases = [
            ("<p>清水塘 <a href=\"/en/targets/\">目标</a> <img src=\"/a.png\" alt=\"\"></p>", "<p>清水塘 <a href=\"/sub/en/targets/\">目标</a> <img src=\"/sub/a.png\" alt=\"\"></p>"),
            ("<a href=\"https://x.org/\">x</a><a href=\"#top\">t</a><a href=\"/\">h</a>", "<a href=\"https://x.org/\">x</a><a href=\"#top\">t</a><a href=\"/sub/\">h</a>"),
            ("<a data-href=\"/x\" title=\"/y\">", "<a data-href=\"/sub/x\" title=\"/y\">"),
            ("\"/x href=\"/", "\"/x href=\"/sub/"),
            ("no links here", "no links here"),
        ]
        for (html, expected) in cases {
            #expect(LinkRewriter(basePath: "/sub/").rewrite(html) == expected)
            #expect(LinkRewriter(basePath: "/").rewrite(html) == html)
        }
    }

    /// The search index's text: block tags end words, inline ones do not, the five entities cmark
    /// writes are decoded after the tags are gone, and every kind of white space is one space.
    @Test(arguments: [
        ("<h2 id=\"x\">清水<em>塘</em></h2><p>株洲</p>", "清水塘 株洲"),
        ("<ul>\n<li>铅</li><li>汞</li></ul>", "铅 汞"),
        ("<p>a&amp;lt;b &quot;q&quot; &#39;s&#39; &lt;&gt; &amp;amp; &copy;</p>", "a&lt;b \"q\" 's' <> &amp; &copy;"),
        ("&l<b>t;", "<"),
        ("<P>A</P><TD>B</TD><br/>C<hr />D", "A B C D"),
        ("a\u{3000}b\u{00A0}c\r\nd\te", "a b c d e"),
        ("  \n 铅 \u{2003}\u{2028}\u{85} lead\u{3001}汞 \n", "铅 lead\u{3001}汞"),
        ("<p>unclosed <em", "unclosed"),
        ("x > y", "x > y"),
    ])
    func plainTextOfHTML(_ html: String, _ expected: String) {
        #expect(PlainText.from(html: html) == expected)
    }

    /// Every scalar Unicode calls white space, and only those, separates words in the search
    /// index's text, whatever its length in UTF-8.
    @Test func everyWhiteSpaceScalarAndNoOtherSeparatesWords() {
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value), !["<", ">", "&"].contains(scalar) else { continue }
            let expected = scalar.properties.isWhitespace ? "a b" : "a\(Character(scalar))b"
            #expect(PlainText.from(html: "a\(Character(scalar))b") == expected, "U+\(String(value, radix: 16))")
        }
    }

    /// Names lowered for the tables' filters come out as `lowercased()` makes them, whatever
    /// their script: cased letters outside ASCII (Greek, fullwidth Latin, Roman numerals,
    /// the Turkish dotted I) take the slow path, the rest are lowered byte by byte.
    @Test(arguments: ["株洲冶炼集团 Zhuzhou SMELTER Group", "湖南海利化工 HAILI", "ＺＨＵＺＨＯＵ 株洲", "Ⅷ号车间", "ΣΙΓΜΑ Ltd", "İzmir ÇELİK", "Straße GROSS", "abc 123 !?", "", "株洲"])
    func namesAreLoweredAsLowercasedLowersThem(name: String) {
        #expect(name.lowercasedQuickly == name.lowercased())
    }

    /// The chart's few largest emitters are those a sort of them all puts first, ties broken by
    /// id as the sort breaks them.
    @Test func theLargestFewAreWhatSortingThemAllPutsFirst() {
        var random = SeededGenerator(seed: 3)
        for _ in 0..<300 {
            let totals = (0..<Int.random(in: 0..<40, using: &random)).map { index in
                (key: "e\(Int.random(in: 0..<30, using: &random))-\(index)", value: Decimal(Int.random(in: 0..<5, using: &random)))
            }
            let count = Int.random(in: 0..<12, using: &random)
            let sorted = totals.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(count)
            #expect(Charts.largest(count, of: totals).map(\.key) == sorted.map(\.key))
        }
    }

    /// Items dealt into groups keep their order within each group, and the groups lie in the
    /// order asked for; a group without items is empty.
    /// Figures shared by a page's languages are made once per key however many pages ask at
    /// once, and each key gets its own.
    @Test func sharedFiguresAreMadeOncePerKey() async {
        final class Counter: @unchecked Sendable {
            private let lock = NSLock()
            private var counts: [String: Int] = [:]
            func count(_ key: String) { lock.withLock { counts[key, default: 0] += 1 } }
            var all: [String: Int] { lock.withLock { counts } }
        }
        let shared = SharedFigures<String, String>(), made = Counter()
        let values = await withTaskGroup(of: String.self) { group in
            for index in 0..<64 {
                let key = index.isMultiple(of: 2) ? "Pb" : "Cd"
                group.addTask {
                    shared.value(for: key) {
                        made.count(key)
                        return key + " figures"
                    }
                }
            }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(made.all == ["Pb": 1, "Cd": 1])
        #expect(values.sorted() == Array(repeating: "Cd figures", count: 32) + Array(repeating: "Pb figures", count: 32))
    }

    /// Half a million rows are held at once at province scale: their fields' order keeps each
    /// to 144 bytes (152 with the `Decimal`s among the texts).
    @Test func aDisclosureIsHeldIn144Bytes() {
        #expect(MemoryLayout<Disclosure>.stride == 144)
    }

    @Test func groupsKeepTheirItemsInOrder() {
        var numbers = GroupNumbers<String>()
        let keys = ["b", "a", "b", "c", "a", "b"].map { numbers.number(of: $0) }
        #expect(keys == [0, 1, 0, 2, 1, 0] && numbers.keys == ["b", "a", "c"])
        let groups = Groups(keys + [4], count: 5, order: [2, 1, 3, 4, 0])
        #expect(groups.items == [3, 1, 4, 6, 0, 2, 5])
        #expect(groups[0] == [0, 2, 5] && groups[1] == [1, 4] && groups[2] == [3] && groups[3].isEmpty && groups[4] == [6])
        #expect(Groups(keys, count: 3).items == [0, 2, 5, 1, 4, 3])
    }

    /// A repeated key gets the number it first had, and no other key is taken for it, even
    /// when every key has the same hash.
    @Test(arguments: [false, true])
    func groupNumbersTellKeysApartNotHashes(sameHash: Bool) {
        struct Code: Hashable, Sendable {
            let text: String
            let sameHash: Bool
            func hash(into hasher: inout Hasher) { if !sameHash { hasher.combine(text) } }
        }
        var numbers = GroupNumbers<Code>()
        let inserted = ["a", "b", "a", "c", "b", "a", "d"].map { numbers.insert(Code(text: $0, sameHash: sameHash)) }
        #expect(inserted.map(\.inserted) == [true, true, false, true, false, false, true])
        #expect(inserted.map(\.number) == [0, 1, 0, 2, 1, 0, 3])
        #expect(numbers.keys.map(\.text) == ["a", "b", "c", "d"])
        #expect(["a", "b", "c", "d", "e"].map { Code(text: $0, sameHash: sameHash) }.map { numbers.existingNumber(of: $0, hashValue: $0.hashValue) } == [0, 1, 2, 3, nil])
        // Found from another group by the hash values it kept, as the duplicate check's halves are.
        #expect(numbers.hashValues == numbers.keys.map(\.hashValue))
        var other = GroupNumbers<Code>()
        for text in ["d", "e", "a", "c"] { _ = other.insert(Code(text: text, sameHash: sameHash)) }
        #expect(other.keys.indices.map { numbers.existingNumber(of: other.keys[$0], hashValue: other.hashValues[$0]) } == [3, nil, 0, 2])
    }

    /// A cell's spaces are tab and Unicode's space separators, for every code point; and cells
    /// are trimmed as Foundation trims them (whose set also has U+200B, a format character).
    @Test func cellsAreTrimmedOfTabsAndSpaceSeparators() {
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            #expect(scalar.isSpace == (value == 9 || scalar.properties.generalCategory == .spaceSeparator), "U+\(String(value, radix: 16))")
        }
        for cell in ["湘江", " 湘江\u{3000}", "\t大气 ", "\u{A0}Air\u{2009}", "a", " ", "\u{3000}", "", "株洲 冶炼", "\u{202F}e1\u{1680}", "x\u{3001}"] {
            #expect(cell.trimmingSpaces == cell.trimmingCharacters(in: .whitespaces), "\(cell.unicodeScalars.map(\.value))")
        }
    }

    /// The range lower-casing takes as caseless has no character that lower-casing changes.
    @Test func cjkCharactersHaveNoCase() {
        for value in String.caselessScalarValues {
            guard let scalar = Unicode.Scalar(value) else { continue }
            #expect(!scalar.properties.changesWhenLowercased, "U+\(String(value, radix: 16))")
        }
    }

    /// The search index folds an enterprise's title apart from the rest of its text, which
    /// must give what folding them joined by a space gives: nothing composes or changes case
    /// across the space, whatever ends the one or starts the other.
    @Test func foldingAcrossASpaceIsFoldingEachSide() {
        let texts = ["ΣΙΓΜΑ", "Σ", "ΑΣ", "İzmir", "ﬁ", "e\u{301}", "\u{301}x", "\u{308}", "ＺＨＵ 株洲", "株洲", "Straße", "Ⅷ号", "ǅ", "A", "", "ß\u{327}", "ㄱ\u{1161}", "가\u{11A8}", "\u{1161}"]
        for first in texts {
            for second in texts {
                #expect(SearchIndex.folded(first + " " + second) == SearchIndex.folded(first) + " " + SearchIndex.folded(second), "\(first) | \(second)")
            }
        }
    }
}
