//! "嵌入代码 / Embed": the sites that may embed the widgets (each partner's and association's
//! origins, effective without a deploy), and a builder that writes the snippet for one element
//! with a live preview of it on this page.
//!
//! The preview is the real widget, loaded by `/guanai.js` as on any host page (the admin page
//! already includes it for the location picker); map tiles other than AMap are left out of it,
//! as this page's CSP allows only AMap's.

use guanai_core::staff::Action;
use guanai_core::validate::FieldError;
use guanai_core::wire::{OriginCheck, OriginList, OriginsChange, PartnerChoice, SiteOrigins};
use guanai_core::{Association, Lang, ServiceArea, Text};
use leptos::prelude::*;
use serde::Deserialize;

use crate::api::{self, Failure};
use crate::ui::{Check, Choice, Done, Problem, label, partner_name, region_options, t, when};
use crate::{admin, t_str};

/// `/release.json`, the build's manifest: the version and the loader's integrity.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Release {
    version: String,
    loader: ReleaseFile,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct ReleaseFile {
    integrity: String,
}

/// The page: sites first (a snippet is of no use on a site that is not allowed), then the
/// builder.
#[component]
pub fn EmbedPage() -> impl IntoView {
    let choices =
        LocalResource::new(|| api::get::<Vec<PartnerChoice>>("/v1/admin/catalog/partner-choices"));
    let partners = Signal::derive(move || {
        choices
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|p| !p.archived)
            .collect::<Vec<_>>()
    });
    let sites = LocalResource::new(|| api::get::<OriginList>("/v1/admin/origins"));
    view! {
        <Sites sites partners />
        <Builder partners sites />
    }
}

/// `partner:<id>` / `association:<code>` and the path that saves it.
fn owner_path(owner: &str) -> Option<String> {
    let (kind, id) = owner.split_once(':')?;
    Some(format!("/v1/admin/origins/{kind}/{id}"))
}

/// Every recorded list this staff member may see, and the form to change one.
#[component]
fn Sites(
    sites: LocalResource<Result<OriginList, Failure>>,
    partners: Signal<Vec<PartnerChoice>>,
) -> impl IntoView {
    let admin = admin();
    let lang = admin.lang;
    let session = admin.session.get_untracked();
    let own = session.as_ref().and_then(|s| s.staff.association);
    let may_edit = session.as_ref().is_some_and(|s| s.may(Action::Edit));
    let failure = RwSignal::new(None::<Failure>);
    let done = RwSignal::new(None::<Text>);
    let owner = RwSignal::new(String::new());
    let typed = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let busy = RwSignal::new(false);
    let recorded = move |key: &str| -> Vec<String> {
        sites
            .get()
            .and_then(Result::ok)
            .and_then(|list| list.sites.into_iter().find(|s| s.owner.key() == key))
            .map(|site| site.origins)
            .unwrap_or_default()
    };
    // Choosing an owner shows what is recorded for it, to edit.
    let pick = Callback::new(move |key: String| {
        typed.set(recorded(&key).join("\n"));
        errors.set(Vec::new());
        owner.set(key);
    });
    let owners = Signal::derive(move || {
        let lang = lang.get();
        let mut options = vec![(
            String::new(),
            t_str(
                lang,
                "请选择合作单位或协会",
                "Choose a partner or association",
            )
            .to_string(),
        )];
        for association in Association::ALL {
            if own.is_none() || own == Some(*association) {
                options.push((
                    format!("association:{}", association.code()),
                    format!(
                        "{}（{}）",
                        association.name().get(lang),
                        t_str(lang, "协会网站", "association site")
                    ),
                ));
            }
        }
        for partner in partners.get() {
            if own.is_none() || partner.association == own {
                options.push((
                    format!("partner:{}", partner.id),
                    format!("{} ({})", partner.name.get(lang), partner.id),
                ));
            }
        }
        options
    });
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(path) = owner_path(&owner.get_untracked()) else {
            return;
        };
        let change = OriginsChange {
            origins: typed
                .get_untracked()
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .map(str::to_string)
                .collect(),
        };
        busy.set(true);
        failure.set(None);
        done.set(None);
        leptos::task::spawn_local(async move {
            match api::send::<SiteOrigins>("PUT", &path, &change).await {
                Ok(site) => {
                    typed.set(site.origins.join("\n"));
                    errors.set(Vec::new());
                    let n = site.origins.len();
                    done.set(Some(Text::new(
                        format!("已保存 {n} 个网站地址：本服务器立即生效，各地约两分钟内生效。"),
                        format!(
                            "{n} site addresses saved: effective here at once, everywhere within about two minutes."
                        ),
                    )));
                    sites.refetch();
                }
                Err(problem) => {
                    errors.set(problem.fields.clone());
                    failure.set(Some(problem));
                }
            }
            busy.set(false);
        });
    };
    let rows = move || {
        let lang = lang.get();
        let partners = partners.get();
        sites.get().map(|answer| match answer {
            Ok(list) => {
                let configured = (!list.configured.is_empty()).then(|| {
                    view! {
                        <p class="configured">
                            {t_str(lang, "部署配置允许的网站（ALLOWED_ORIGINS，需重新部署才能更改）：", "Allowed by the deployment (ALLOWED_ORIGINS, changed only by a deploy): ")}
                            <code>{list.configured.join(" ")}</code>
                        </p>
                    }
                });
                let body = list
                    .sites
                    .iter()
                    .map(|site| {
                        let owner = match &site.owner {
                            guanai_core::wire::SiteOwner::Partner { id } => partner_name(&partners, id, lang),
                            guanai_core::wire::SiteOwner::Association { association } => {
                                association.name().get(lang).to_string()
                            }
                        };
                        view! {
                            <tr data-owner=site.owner.key()>
                                <td>{owner}</td>
                                <td>{site.origins.iter().map(|o| view! { <code>{o.clone()}</code>" " }).collect_view()}</td>
                                <td>{format!("{} · {}", site.updated_by, when(site.updated_at_ms))}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                let nothing = list.sites.is_empty().then(|| {
                    view! {
                        <tr><td colspan="3">{t_str(lang, "尚未登记网站。", "No sites recorded yet.")}</td></tr>
                    }
                });
                view! {
                    {configured}
                    <table class="list sites">
                        <caption class="visually-hidden">{t_str(lang, "已登记的网站", "Recorded sites")}</caption>
                        <thead><tr>
                            <th scope="col">{t_str(lang, "合作单位或协会", "Partner or association")}</th>
                            <th scope="col">{t_str(lang, "网站地址", "Site addresses")}</th>
                            <th scope="col">{t_str(lang, "最后修改", "Last change")}</th>
                        </tr></thead>
                        <tbody>{body}{nothing}</tbody>
                    </table>
                }
                .into_any()
            }
            Err(problem) => {
                failure.set(Some(problem));
                ().into_any()
            }
        })
    };
    view! {
        <section aria-labelledby="sites-heading" class="sites">
            <h2 id="sites-heading">{t("允许嵌入的网站", "Sites allowed to embed the widgets")}</h2>
            <p>{t(
                "只有登记在这里（或部署配置中）的网站才能加载组件。填写网站的来源：协议、域名和端口，例如 https://www.example.cn。",
                "Only sites recorded here (or in the deployment's configuration) can load the widgets. Enter each site's origin: scheme, host and port, e.g. https://www.example.cn.",
            )}</p>
            <Problem failure />
            <Done message=done />
            <Show when=move || may_edit>
                <form class="sites-form" on:submit=save>
                    <Choice label=label("网站属于", "Whose site") value=owner.into() set=pick options=owners />
                    <Show when=move || !owner.with(String::is_empty)>
                        <OriginsField typed errors />
                        <button type="submit" disabled=move || busy.get()>{t("保存网站地址", "Save site addresses")}</button>
                    </Show>
                </form>
            </Show>
            <Transition fallback=move || view! { <p class="loading" role="status">{t("正在加载…", "Loading…")}</p> }>
                {rows}
            </Transition>
        </section>
    }
}

/// The origins of one owner, one per line, with the server's problems by line number.
#[component]
fn OriginsField(typed: RwSignal<String>, errors: RwSignal<Vec<FieldError>>) -> impl IntoView {
    let lang = admin().lang;
    let id = crate::ui::next_id("origins");
    let (help_id, error_id) = (format!("{id}-help"), format!("{id}-error"));
    let problems = move || {
        let lang = lang.get();
        errors.with(|errors| {
            errors
                .iter()
                .map(|e| {
                    let line = e
                        .field
                        .strip_prefix("origins[")
                        .and_then(|rest| rest.strip_suffix(']'))
                        .and_then(|i| i.parse::<usize>().ok());
                    match (line, lang) {
                        (Some(i), Lang::ZhCn) => format!("第 {} 行：{}", i + 1, e.message.zh),
                        (Some(i), Lang::En) => format!("Line {}: {}", i + 1, e.message.en),
                        (None, _) => e.message.get(lang).to_string(),
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    let described = {
        let (help_id, error_id) = (help_id.clone(), error_id.clone());
        move || {
            if errors.with(Vec::is_empty) {
                help_id.clone()
            } else {
                format!("{help_id} {error_id}")
            }
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()>{t("网站地址（每行一个）", "Site addresses (one per line)")}</label>
            <textarea
                id=id
                rows="4"
                spellcheck="false"
                autocapitalize="off"
                prop:value=move || typed.get()
                on:input=move |ev| typed.set(event_target_value(&ev))
                aria-invalid=move || (!errors.with(Vec::is_empty)).then_some("true")
                aria-describedby=described
            ></textarea>
            <p class="hint" id=help_id>{t("清空后保存即删除。", "Save an empty list to remove it.")}</p>
            <ul class="field-error" id=error_id hidden=move || errors.with(Vec::is_empty)>
                {move || problems().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
            </ul>
        </div>
    }
}

/// The elements the builder offers, with the attributes each takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Finder,
    Map,
    Signup,
    Apply,
    MySignup,
}

impl Kind {
    const ALL: [Kind; 5] = [
        Kind::Finder,
        Kind::Map,
        Kind::Signup,
        Kind::Apply,
        Kind::MySignup,
    ];

    fn tag(self) -> &'static str {
        match self {
            Kind::Finder => "guanai-benefit-finder",
            Kind::Map => "guanai-partner-map",
            Kind::Signup => "guanai-signup-form",
            Kind::Apply => "guanai-partner-apply",
            Kind::MySignup => "guanai-my-signup",
        }
    }

    fn name(self, lang: Lang) -> &'static str {
        match self {
            Kind::Finder => t_str(lang, "福利查询", "Benefit finder"),
            Kind::Map => t_str(lang, "合作单位地图", "Partner map"),
            Kind::Signup => t_str(lang, "社工报名表", "Sign-up form"),
            Kind::Apply => t_str(lang, "合作申请表", "Partner application"),
            Kind::MySignup => t_str(
                lang,
                "我的报名（管理链接页）",
                "My sign-up (management link page)",
            ),
        }
    }

    fn shows_catalogue(self) -> bool {
        matches!(self, Kind::Finder | Kind::Map)
    }
}

/// What the builder's controls hold.
#[derive(Debug, Clone, PartialEq, Default)]
struct Choices {
    kind: Option<Kind>,
    lang: String,
    partner: String,
    areas: Vec<ServiceArea>,
    region: String,
    association: String,
    tiles: String,
}

impl Choices {
    fn kind(&self) -> Kind {
        self.kind.unwrap_or(Kind::Finder)
    }

    /// The element's attributes, in a stable order; `api` when the script is not at the edge.
    fn attributes(&self, api: Option<&str>, preview: bool) -> Vec<(&'static str, String)> {
        let kind = self.kind();
        let mut attributes = Vec::new();
        if let Some(api) = api {
            attributes.push(("api", api.to_string()));
        }
        if self.lang == "en" {
            attributes.push(("lang", "en".to_string()));
        }
        if kind.shows_catalogue() {
            if !self.partner.is_empty() {
                attributes.push(("partner", self.partner.clone()));
            }
            if !self.areas.is_empty() {
                let areas: Vec<&str> = self.areas.iter().map(|a| a.code()).collect();
                attributes.push(("area", areas.join(",")));
            }
            if !self.region.is_empty() {
                attributes.push(("region", self.region.clone()));
            }
        }
        if kind == Kind::Signup && !self.association.is_empty() {
            attributes.push(("association", self.association.clone()));
        }
        // This page's CSP allows AMap's tiles only; the preview shows the offline map otherwise.
        if kind == Kind::Map && !self.tiles.is_empty() && (!preview || self.tiles == "amap") {
            attributes.push(("tiles", self.tiles.clone()));
        }
        attributes
    }

    /// The element as HTML, with the plain catalogue link inside for phones without wasm.
    fn element(&self, edge: &str, api: Option<&str>) -> String {
        let tag = self.kind().tag();
        let attributes: String = self
            .attributes(api, false)
            .iter()
            .map(|(name, value)| format!(" {name}=\"{}\"", escape(value)))
            .collect();
        let inside = if self.kind().shows_catalogue() {
            let (text, query) = if self.lang == "en" {
                ("View the benefit catalogue", "?lang=en")
            } else {
                ("查看福利目录", "")
            };
            format!(
                "\n  <a href=\"{}/catalog{query}\">{text}</a>\n",
                escape(edge)
            )
        } else {
            String::new()
        };
        format!("<{tag}{attributes}>{inside}</{tag}>")
    }

    /// The `img-src` source the chosen tiles need, if any.
    fn tile_source(&self) -> Option<&'static str> {
        if self.kind() != Kind::Map {
            return None;
        }
        match self.tiles.as_str() {
            "amap" => Some("https://*.is.autonavi.com"),
            "tencent" => Some("https://*.map.gtimg.com"),
            "osm" => Some("https://tile.openstreetmap.org"),
            _ => None,
        }
    }

    /// The hosted alias: always the current release, from the edge.
    fn hosted(&self, edge: &str) -> String {
        format!(
            "<script type=\"module\" src=\"{edge}/guanai.js\"></script>\n{}",
            self.element(edge, None)
        )
    }

    /// A pinned copy of the npm package on the partner's own server, checked by its integrity.
    fn pinned(&self, edge: &str, release: &Release) -> String {
        let version = &release.version;
        format!(
            "<!-- npm install @guanai/widgets@{version}; serve its guanai.js and guanai-*/ directory at /static/guanai/{version}/ -->\n\
             <script type=\"module\" src=\"/static/guanai/{version}/guanai.js\"\n        integrity=\"{}\" crossorigin=\"anonymous\"></script>\n{}",
            release.loader.integrity,
            self.element(edge, Some(edge))
        )
    }

    /// The Content-Security-Policy lines the host page needs for `script_from`.
    fn csp(&self, edge: &str, script_from: &str) -> String {
        let mut lines = vec![
            format!("script-src {script_from} 'wasm-unsafe-eval';"),
            format!("connect-src {edge};"),
            format!("style-src {script_from};"),
        ];
        if let Some(tiles) = self.tile_source() {
            lines.push(format!("img-src {tiles};"));
        }
        lines.join("\n")
    }
}

/// `value` safe inside a double-quoted HTML attribute or text.
fn escape(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The embed-code builder: choose, see it live, copy.
#[component]
fn Builder(
    partners: Signal<Vec<PartnerChoice>>,
    sites: LocalResource<Result<OriginList, Failure>>,
) -> impl IntoView {
    let lang = admin().lang;
    let choices = RwSignal::new(Choices::default());
    let release = LocalResource::new(|| api::get::<Release>("/release.json"));
    let edge = window().location().origin().unwrap_or_default();
    let set = move |change: fn(&mut Choices, String)| {
        Callback::new(move |value: String| choices.update(|c| change(c, value)))
    };
    let kinds = Signal::derive(move || {
        let lang = lang.get();
        Kind::ALL
            .iter()
            .map(|k| (k.tag().to_string(), k.name(lang).to_string()))
            .collect::<Vec<_>>()
    });
    let partner_options = Signal::derive(move || {
        let lang = lang.get();
        let mut options = vec![(
            String::new(),
            t_str(lang, "全部合作单位", "All partners").to_string(),
        )];
        options.extend(
            partners
                .get()
                .into_iter()
                .map(|p| (p.id.clone(), format!("{} ({})", p.name.get(lang), p.id))),
        );
        options
    });
    let languages = Signal::derive(move || {
        vec![
            ("zh-CN".to_string(), "中文".to_string()),
            ("en".to_string(), "English".to_string()),
        ]
    });
    let associations = Signal::derive(move || {
        let lang = lang.get();
        let mut options = vec![(
            String::new(),
            t_str(lang, "不预选", "None preselected").to_string(),
        )];
        options.extend(
            Association::ALL
                .iter()
                .map(|a| (a.code().to_string(), a.name().get(lang).to_string())),
        );
        options
    });
    let regions = Signal::derive(move || {
        let any = t_str(lang.get(), "不预选", "None preselected");
        region_options(lang.get(), Some(any))
    });
    let tiles = Signal::derive(move || {
        let lang = lang.get();
        vec![
            (
                String::new(),
                t_str(
                    lang,
                    "离线底图（无需第三方服务）",
                    "Offline base map (no third-party service)",
                )
                .to_string(),
            ),
            (
                "amap".to_string(),
                t_str(lang, "高德地图街道图", "AMap streets").to_string(),
            ),
            (
                "tencent".to_string(),
                t_str(lang, "腾讯地图街道图", "Tencent Maps streets").to_string(),
            ),
            ("osm".to_string(), "OpenStreetMap".to_string()),
        ]
    });
    let kind = Signal::derive(move || choices.with(Choices::kind));
    let area_checks = move || {
        let lang = lang.get();
        ServiceArea::ALL
            .iter()
            .map(|area| {
                let area = *area;
                let checked = Signal::derive(move || choices.with(|c| c.areas.contains(&area)));
                let toggle = Callback::new(move |on: bool| {
                    choices.update(|c| {
                        c.areas.retain(|a| *a != area);
                        if on {
                            c.areas.push(area);
                            c.areas
                                .sort_by_key(|a| ServiceArea::ALL.iter().position(|b| b == a));
                        }
                    })
                });
                let name = area.label().get(lang).to_string();
                view! { <Check label=Signal::derive(move || name.clone()) checked set=toggle /> }
            })
            .collect_view()
    };

    let edge_for_snippets = edge.clone();
    let hosted = Memo::new(move |_| choices.with(|c| c.hosted(&edge_for_snippets)));
    let edge_for_pinned = edge.clone();
    let pinned = Memo::new(move |_| {
        let release = release.get().and_then(Result::ok)?;
        Some(choices.with(|c| c.pinned(&edge_for_pinned, &release)))
    });
    let edge_for_csp = edge.clone();
    let hosted_csp = Memo::new(move |_| choices.with(|c| c.csp(&edge_for_csp, &edge_for_csp)));
    let edge_for_pinned_csp = edge.clone();
    let pinned_csp = Memo::new(move |_| choices.with(|c| c.csp(&edge_for_pinned_csp, "'self'")));

    view! {
        <section aria-labelledby="builder-heading" class="builder">
            <h2 id="builder-heading">{t("嵌入代码生成器", "Embed code builder")}</h2>
            <form class="builder-form" on:submit=|event| event.prevent_default()>
                <Choice label=label("组件", "Widget") value=Signal::derive(move || kind.get().tag().to_string())
                    set=Callback::new(move |tag: String| choices.update(|c| c.kind = Kind::ALL.into_iter().find(|k| k.tag() == tag)))
                    options=kinds />
                <Choice label=label("语言", "Language") value=Signal::derive(move || choices.with(|c| if c.lang.is_empty() { "zh-CN".to_string() } else { c.lang.clone() }))
                    set=set(|c, v| c.lang = v) options=languages />
                <Show when=move || kind.get().shows_catalogue()>
                    <Choice label=label("只显示此合作单位", "Only this partner") value=Signal::derive(move || choices.with(|c| c.partner.clone()))
                        set=set(|c, v| c.partner = v) options=partner_options />
                    <Choice label=label("预选地区", "Preselected region") value=Signal::derive(move || choices.with(|c| c.region.clone()))
                        set=set(|c, v| c.region = v) options=regions />
                    <fieldset class="areas">
                        <legend>{t("预选服务领域", "Preselected service areas")}</legend>
                        {area_checks}
                    </fieldset>
                </Show>
                <Show when=move || kind.get() == Kind::Signup>
                    <Choice label=label("预选协会", "Preselected association") value=Signal::derive(move || choices.with(|c| c.association.clone()))
                        set=set(|c, v| c.association = v) options=associations />
                </Show>
                <Show when=move || kind.get() == Kind::Map>
                    <Choice label=label("地图底图", "Map tiles") value=Signal::derive(move || choices.with(|c| c.tiles.clone()))
                        set=set(|c, v| c.tiles = v) options=tiles />
                </Show>
            </form>
            <SiteCheck sites />
            <h3>{t("预览", "Preview")}</h3>
            <p class="hint">{t(
                "这是实际运行的组件：在预览中提交的表单会真实提交。",
                "This is the live widget: a form submitted in the preview is really submitted.",
            )}</p>
            <Preview choices />
            <Snippet
                heading=label("托管版（始终为最新版本）", "Hosted (always the current release)")
                explain=label(
                    "从本服务器加载，随每次发布自动更新。适合大多数网站。",
                    "Loaded from this server and updated with every release. Right for most sites.",
                )
                code=hosted.into()
                csp=hosted_csp.into()
            />
            {move || pinned.get().map(|code| view! {
                <Snippet
                    heading=label("固定版本（自行托管 npm 包）", "Pinned (self-hosted npm package)")
                    explain=label(
                        "把 npm 包放在贵方服务器或境内 CDN 上，由 integrity 校验；升级由贵方决定。",
                        "Serve the npm package from your own server or a CDN in mainland China, checked by its integrity; you decide when to upgrade.",
                    )
                    code=Signal::derive(move || code.clone())
                    csp=pinned_csp.into()
                />
            })}
        </section>
    }
}

/// Whether the site the staff intend to use is allowed, asked of the server (which normalises
/// the origin as browsers send it).
#[component]
fn SiteCheck(sites: LocalResource<Result<OriginList, Failure>>) -> impl IntoView {
    let lang = admin().lang;
    let typed = RwSignal::new(String::new());
    let answer = RwSignal::new(None::<Result<OriginCheck, Failure>>);
    let id = crate::ui::next_id("site");
    let check = move || {
        let origin = typed.get_untracked().trim().to_string();
        if origin.is_empty() {
            answer.set(None);
            return;
        }
        leptos::task::spawn_local(async move {
            let path = api::with_query("/v1/admin/origins/check", &[("origin", origin)]);
            answer.set(Some(api::get::<OriginCheck>(&path).await));
        });
    };
    // A saved list may have made it allowed: ask again.
    Effect::new(move |_| {
        sites.track();
        check();
    });
    let said = move || {
        let lang = lang.get();
        answer.get().map(|answer| match answer {
            Ok(OriginCheck { origin, allowed: true }) => view! {
                <p class="done site-ok" role="status">{format!("{} {origin}", t_str(lang, "已允许：", "Allowed:"))}</p>
            }
            .into_any(),
            Ok(OriginCheck { origin, allowed: false }) => view! {
                <p class="warning site-not-allowed" role="alert">{format!(
                    "{} {origin}",
                    t_str(lang, "此网站尚未获准加载组件，请先在上方登记：", "This site may not load the widgets yet; record it above first:")
                )}</p>
            }
            .into_any(),
            Err(problem) => {
                let text = problem
                    .fields
                    .first()
                    .map(|f| f.message.get(lang).to_string())
                    .unwrap_or_else(|| problem.message.get(lang).to_string());
                view! { <p class="warning" role="alert">{text}</p> }.into_any()
            }
        })
    };
    view! {
        <div class="field site-check">
            <label for=id.clone()>{t("将嵌入的网站地址", "The site you will embed on")}</label>
            <input id=id type="url" placeholder="https://www.example.cn" inputmode="url" autocapitalize="off" spellcheck="false"
                prop:value=move || typed.get()
                on:input=move |ev| typed.set(event_target_value(&ev))
                on:change=move |_| check() />
            {said}
        </div>
    }
}

/// The chosen element, live: created afresh when a choice changes, so the loader mounts it
/// as it would on a host page (and unmounts the one it replaces).
#[component]
fn Preview(choices: RwSignal<Choices>) -> impl IntoView {
    let holder = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        let current = choices.get();
        let Some(holder) = holder.get() else {
            return;
        };
        let Ok(element) = document().create_element(current.kind().tag()) else {
            return;
        };
        for (name, value) in current.attributes(None, true) {
            let _ = element.set_attribute(name, &value);
        }
        let _ = element.set_attribute("id", "embed-preview-widget");
        holder.replace_children_with_node_1(&element);
    });
    view! { <div class="embed-preview" node_ref=holder aria-label=t("组件预览", "Widget preview") role="region"></div> }
}

/// One snippet with its CSP lines, each with a copy button and a visible confirmation.
#[component]
fn Snippet(
    heading: Signal<String>,
    explain: Signal<String>,
    code: Signal<String>,
    csp: Signal<String>,
) -> impl IntoView {
    let code_id = crate::ui::next_id("snippet");
    let csp_id = crate::ui::next_id("csp");
    view! {
        <div class="snippet">
            <h3>{move || heading.get()}</h3>
            <p>{move || explain.get()}</p>
            <CopyBlock id=code_id label=label("代码（粘贴到网页中）", "Code (paste into the page)") text=code rows=6 />
            <CopyBlock id=csp_id label=label("网页需要的 Content-Security-Policy", "Content-Security-Policy the page needs") text=csp rows=4 />
        </div>
    }
}

/// A read-only text to copy: the clipboard where the browser allows it, else the text selected
/// for Ctrl+C; either way a line saying what happened.
#[component]
fn CopyBlock(id: String, label: Signal<String>, text: Signal<String>, rows: u32) -> impl IntoView {
    let lang = admin().lang;
    let copied = RwSignal::new(None::<bool>);
    let area = NodeRef::<leptos::html::Textarea>::new();
    let copy = move |_| {
        let value = text.get_untracked();
        leptos::task::spawn_local(async move {
            let clipboard = window().navigator().clipboard();
            let written = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&value))
                .await
                .is_ok();
            if !written && let Some(area) = area.get_untracked() {
                area.select();
            }
            copied.set(Some(written));
        });
    };
    Effect::new(move |_| {
        text.track();
        copied.set(None);
    });
    view! {
        <div class="field copy">
            <label for=id.clone()>{move || label.get()}</label>
            <textarea id=id readonly rows=rows spellcheck="false" node_ref=area prop:value=move || text.get()></textarea>
            <button type="button" class="secondary" on:click=copy>{t("复制", "Copy")}</button>
            <span role="status">{move || copied.get().map(|ok| if ok {
                t_str(lang.get(), "已复制。", "Copied.")
            } else {
                t_str(lang.get(), "无法访问剪贴板：代码已选中，请按 Ctrl+C 复制。", "No clipboard access: the code is selected, press Ctrl+C.")
            })}</span>
        </div>
    }
}
