@testable import ClearwaterCore
import CommonMark
import Foundation
import Testing
import TestSupport

/// Every reader fed mutated versions of real content: each input must end in values or in
/// located diagnostics, never a trap or a hang (the time limit catches hangs). Inputs that
/// once broke a reader are kept as regression cases at the bottom.
@Suite struct FuzzTests {
    static let vocabularyText = FixtureSite.files["vocabulary.yml"]!
    static let vocabulary: Vocabulary = {
        var diagnostics = Diagnostics()
        let document = YAMLDocument(text: vocabularyText, path: "vocabulary.yml", diagnostics: &diagnostics)
        return VocabularyDecoder(languages: ["zh", "en"]).decode(document, diagnostics: &diagnostics)
    }()

    static let csvSeeds = FixtureSite.files.filter { $0.key.hasSuffix(".csv") }.sorted { $0.key < $1.key }.map(\.value)
    static let yamlSeeds = [FixtureSite.files["site.yml"]!, vocabularyText]
    static let pageSeeds = FixtureSite.files.filter { $0.key.hasSuffix(".md") }.sorted { $0.key < $1.key }.map(\.value)
        + ["---\ntitle: 表\nweight: 2\ndate: 2020-01-01\n---\n# 标题\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n{{< view targets-table >}}\n\n<div onclick=x>raw</div>\n[l](javascript:alert(1)) ![i](data:text/html,x)\n"]

    /// Every diagnostic names its file and a position that is not negative.
    static func located(_ diagnostics: Diagnostics, in path: String) -> Bool {
        diagnostics.all.allSatisfy { $0.path == path && $0.line >= 0 && $0.column >= 0 && !$0.message.isEmpty }
    }

    @Test(.timeLimit(.minutes(Int(InputMutator.timeLimit.components.seconds / 60) + 1))) func csvReaderAndEveryDatasetDecoder() {
        let ids: Set<String> = ["alpha", "beta"]
        let runs = fuzz("csv", seeds: Self.csvSeeds) { input in
            var diagnostics = Diagnostics()
            guard let utf8 = TextFile.utf8(input, path: "d.csv", encoding: nil, diagnostics: &diagnostics) else {
                #expect(diagnostics.hasErrors && Self.located(diagnostics, in: "d.csv"))
                return
            }
            let today = Day("2021-01-15")!
            let languages = ["zh", "en"]
            _ = EnterprisesDataset(vocabulary: Self.vocabulary, languages: languages).decode(DataTable(utf8: utf8, path: "d.csv", columns: EnterprisesDataset.columns, today: today, diagnostics: &diagnostics), diagnostics: &diagnostics)
            _ = DisclosuresDataset(vocabulary: Self.vocabulary, languages: languages, enterpriseIDs: ids).decode(DataTable(utf8: utf8, path: "d.csv", columns: DisclosuresDataset.columns, today: today, diagnostics: &diagnostics), reusing: nil, diagnostics: &diagnostics)
            _ = FacilitiesDataset(vocabulary: Self.vocabulary, languages: languages, enterpriseIDs: ids).decode(DataTable(utf8: utf8, path: "d.csv", columns: FacilitiesDataset.columns, today: today, diagnostics: &diagnostics), diagnostics: &diagnostics)
            _ = ViolationsDataset(languages: languages, enterpriseIDs: nil).decode(DataTable(utf8: utf8, path: "d.csv", columns: ViolationsDataset.columns, today: today, diagnostics: &diagnostics), diagnostics: &diagnostics)
            _ = TargetsDataset(vocabulary: Self.vocabulary).decode(DataTable(utf8: utf8, path: "d.csv", columns: TargetsDataset.columns, today: today, diagnostics: &diagnostics), diagnostics: &diagnostics)
            #expect(Self.located(diagnostics, in: "d.csv"), "seed \(InputMutator.runSeed)")
        }
        #expect(runs > 0)
    }

    @Test(.timeLimit(.minutes(Int(InputMutator.timeLimit.components.seconds / 60) + 1))) func encodingsDecoders() {
        let runs = fuzz("encodings", seeds: Self.csvSeeds + Self.pageSeeds) { input in
            for encoding in [nil] + TextEncoding.allCases.map(Optional.some) {
                var diagnostics = Diagnostics()
                if let utf8 = TextFile.utf8(input, path: "f", encoding: encoding, diagnostics: &diagnostics) {
                    #expect(String(validating: utf8, as: UTF8.self) != nil)
                } else {
                    #expect(diagnostics.hasErrors && Self.located(diagnostics, in: "f"))
                }
            }
        }
        #expect(runs > 0)
    }

    @Test(.timeLimit(.minutes(Int(InputMutator.timeLimit.components.seconds / 60) + 1))) func yamlSettingsAndVocabulary() {
        let runs = fuzz("yaml", seeds: Self.yamlSeeds) { input in
            var diagnostics = Diagnostics()
            guard let utf8 = TextFile.utf8(input, path: "s.yml", encoding: nil, diagnostics: &diagnostics) else { return }
            let document = YAMLDocument(text: String(decoding: utf8, as: UTF8.self), path: "s.yml", diagnostics: &diagnostics)
            if document.root != nil {
                _ = SettingsDecoder().decode(document, diagnostics: &diagnostics)
                _ = VocabularyDecoder(languages: ["zh", "en"]).decode(document, diagnostics: &diagnostics)
            }
            #expect(Self.located(diagnostics, in: "s.yml"), "seed \(InputMutator.runSeed)")
        }
        #expect(runs > 0)
    }

    static let templateSeeds: [String] = {
        let folder = FixtureSite.themes.appendingPathComponent("default/templates")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()) ?? []
        return names.compactMap { try? String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }
    }()

    /// The theme's templates, mutated: each parses or fails at a place inside the text, and what
    /// parses renders a page context without trapping.
    @Test(.timeLimit(.minutes(Int(InputMutator.timeLimit.components.seconds / 60) + 1))) func templates() {
        let context: [String: Any] = ["t": ["year": "年"], "page": ["name": "<b>", "rows": [["year": "2020", "exceeds": true]], "chart": ["svg": "<svg/>"]], "title": ""]
        let runs = fuzz("template", seeds: Self.templateSeeds) { input in
            let text = String(decoding: input, as: UTF8.self)
            do {
                let template = try TemplateParser.parse(text)
                let library = TemplateLibrary(["main": template, "filters": template])
                if library.problems().isEmpty { _ = library.render("main", context) }
            } catch let failure as TemplateParser.Failure {
                #expect(failure.offset >= 0 && failure.offset <= text.utf8.count && !failure.message.isEmpty, "seed \(InputMutator.runSeed)")
            } catch {
                Issue.record("unexpected error \(error), seed \(InputMutator.runSeed)")
            }
        }
        #expect(runs > 0)
        #expect(throws: TemplateParser.Failure.self) { try TemplateParser.parse(String(repeating: "{{#a}}", count: 100_000)) }
    }

    @Test(.timeLimit(.minutes(Int(InputMutator.timeLimit.components.seconds / 60) + 1))) func frontMatterAndMarkdown() {
        let runs = fuzz("page", seeds: Self.pageSeeds) { input in
            let text = String(decoding: input, as: UTF8.self)
            let split = FrontMatter(splitting: text)
            var diagnostics = Diagnostics()
            if let yaml = split.yaml {
                _ = YAMLDocument(text: yaml, path: "p.md", lineOffset: split.yamlLineOffset, diagnostics: &diagnostics).rootMapping(diagnostics: &diagnostics)
            }
            for allowRawHTML in [false, true] {
                let html = CommonMark.html(from: split.body, allowRawHTML: allowRawHTML)
                if !allowRawHTML {
                    #expect(!html.contains("<script") && !html.lowercased().contains("href=\"javascript:"), "seed \(InputMutator.runSeed)")
                }
            }
            _ = DatasetViews.unknownTags(in: text)
            #expect(Self.located(diagnostics, in: "p.md"))
        }
        #expect(runs > 0)
    }
}
