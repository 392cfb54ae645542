import Foundation

/// `/L/`: headline figures, progress against the plan, recent changes.
struct HomePage {
    let environment: PageEnvironment

    func context() -> [String: Any] {
        let site = environment.site
        var context: [String: Any] = [
            "enterpriseCount": String(site.enterprises.count),
            "keyRegulatedCount": String(site.enterprises.count { $0.keyRegulated == true }),
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
        // Days and ids sorted, not enterprises: at province scale copying ten thousand of them,
        // each field retained and released, was most of this page after a changed row.
        let changes = site.enterprises.indices
            .compactMap { index in site.enterprises[index].statusSince.map { (day: $0, id: site.enterprises[index].id, index: index) } }
            .sorted { ($1.day, $0.id) < ($0.day, $1.id) }
            .prefix(8)
            .map { (enterprise: site.enterprises[$0.index], day: $0.day) }
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
