import Foundation

/// `/L/`: headline figures, progress against the plan, recent changes.
struct HomePage {
    let environment: PageEnvironment

    func context() -> [String: Any] {
        let site = environment.site
        var context: [String: Any] = [
            "enterpriseCount": String(site.enterprises.count),
            "keyRegulatedCount": String(site.enterprises.filter { $0.keyRegulated == true }.count),
            "activeBlacklistCount": String(site.activeViolations.count),
            "enterprisesHref": environment.href(.enterprises),
            "blacklistHref": environment.href(.blacklist),
            "targetsHref": environment.href(.targets),
            "updatesHref": environment.href(.updates),
            "updateCount": String(site.changeLog.count),
        ]
        if let intro = site.page("")?.version(for: environment.language, languages: environment.languages) {
            context["intro"] = LinkRewriter(basePath: site.settings.baseURL.path).rewrite(intro.version.html)
        }
        let progress = TargetProgress(targets: site.targets, vocabulary: site.vocabulary)
        if !progress.isEmpty {
            context["progress"] = TargetsPage(environment: environment).headline(progress)
        }
        let changes = site.enterprises
            .compactMap { enterprise in enterprise.statusSince.map { (enterprise, $0) } }
            .sorted { ($1.1, $0.0.id) < ($0.1, $1.0.id) }
            .prefix(8)
        context["changes"] = changes.map { enterprise, day in
            [
                "date": day.description,
                "name": environment.text(enterprise.name),
                "href": environment.href(.enterprise(id: enterprise.id)),
                "status": environment.label(site.vocabulary.statuses, enterprise.status),
            ]
        }
        context["hasChanges"] = !changes.isEmpty
        return context
    }
}
