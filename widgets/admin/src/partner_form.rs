//! Creating and editing a partner: names in both languages, kind, the association responsible,
//! contact, 爱心单位 honours by year, locations (coordinates typed, or placed on the partner map
//! in pick mode), and the partnership status (archived partners are not published).

use guanai_core::validate::FieldError;
use guanai_core::wire::PartnerChange;
use guanai_core::{Association, Award, Contact, Location, Partner, PartnerKind, Text};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::catalogue::DraftPartner;
use crate::ui::{
    Choice, DraftFooter, DraftForm, DraftHeading, Field, Input, bind, label, region_options, t,
};
use crate::{admin, t_str};

/// Every kind, in the order the select lists them.
const KINDS: [PartnerKind; 10] = [
    PartnerKind::Telecom,
    PartnerKind::Foundation,
    PartnerKind::Hotel,
    PartnerKind::Dental,
    PartnerKind::Technology,
    PartnerKind::Insurance,
    PartnerKind::Healthcare,
    PartnerKind::Community,
    PartnerKind::SocialWorkOrg,
    PartnerKind::Other,
];

fn kind_code(kind: PartnerKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn empty_partner() -> Partner {
    Partner {
        id: String::new(),
        name: Text::new("", ""),
        kind: PartnerKind::Other,
        locations: Vec::new(),
        contact: Contact::default(),
        awards: Vec::new(),
    }
}

fn empty_location(partner_id: &str, n: usize) -> Location {
    Location {
        id: if partner_id.is_empty() {
            String::new()
        } else {
            format!("{partner_id}-{}", n + 1)
        },
        name: None,
        address: Text::new("", ""),
        region: "110000".into(),
        lat: 39.9042,
        lon: 116.4074,
    }
}

fn optional(value: String) -> Option<String> {
    let value = value.trim().to_string();
    (!value.is_empty()).then_some(value)
}

/// The location at `i` of the partner, if it is still there.
fn location_mut(partner: &mut Partner, i: usize) -> Option<&mut Location> {
    partner.locations.get_mut(i)
}

/// The partner form.
#[component]
pub fn PartnerForm(
    /// The draft to edit; `None` for a new partner.
    draft: Option<DraftPartner>,
    /// Called with a confirmation once the server has stored it.
    saved: Callback<Text>,
    /// Leaves the form without saving.
    cancel: Callback<()>,
) -> impl IntoView {
    let admin = admin();
    let lang = admin.lang;
    let own_association = admin
        .session
        .with_untracked(|s| s.as_ref().and_then(|s| s.staff.association));
    let is_new = draft.is_none();
    let state = RwSignal::new(
        draft
            .as_ref()
            .map(|d| d.partner.clone())
            .unwrap_or_else(empty_partner),
    );
    let association = RwSignal::new(
        draft
            .as_ref()
            .and_then(|d| d.association)
            .or(own_association)
            .map(|a| a.code().to_string())
            .unwrap_or_default(),
    );
    let archived = RwSignal::new(draft.as_ref().is_some_and(|d| d.archived));
    let form = DraftForm::new(saved);
    let errors = form.errors;
    // Which location the map places: the one whose "place on the map" was pressed last.
    let placing = RwSignal::new(0usize);

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let association: Option<Association> = association.get_untracked().parse().ok();
        let change = PartnerChange {
            partner: state.get_untracked(),
            association,
            archived: archived.get_untracked(),
        };
        let id = change.partner.id.trim().to_string();
        let said = Text::new(
            format!("已保存合作单位 {id}（草稿，发布后生效）。"),
            format!("Partner {id} saved (a draft until published)."),
        );
        form.save("partners", &id, change, &["partners[0].", "partner."], said);
    };

    let map_box = NodeRef::<leptos::html::Div>::new();
    place_from_map(map_box, state, placing);
    let picked = move || {
        state.with(|p| {
            p.locations
                .get(placing.get())
                .map(|l| format!("{:.6},{:.6}", l.lat, l.lon))
        })
    };

    let (name_zh, set_name_zh) = bind(state, |p| p.name.zh.clone(), |p, v| p.name.zh = v);
    let (name_en, set_name_en) = bind(state, |p| p.name.en.clone(), |p, v| p.name.en = v);
    let (id, set_id) = bind(
        state,
        |p| p.id.clone(),
        |p, v| p.id = v.trim().to_ascii_lowercase(),
    );
    let kind_options = Signal::derive(move || {
        let lang = lang.get();
        KINDS
            .iter()
            .map(|k| (kind_code(*k), k.label().get(lang).to_string()))
            .collect()
    });
    let association_options = association_options(own_association);

    // Only adding or removing a location redraws the list, so typing never loses focus.
    let location_count = Memo::new(move |_| state.with(|p| p.locations.len()));
    let award_count = Memo::new(move |_| state.with(|p| p.awards.len()));
    let locations = move || {
        let count = location_count.get();
        (0..count)
            .map(|i| view! { <LocationFields i state errors placing /> })
            .collect_view()
    };

    let awards = move || {
        let count = award_count.get();
        (0..count)
            .map(|j| view! { <AwardFields j state errors /> })
            .collect_view()
    };
    let add_award = move |_| {
        use chrono::Datelike;
        let year = u16::try_from(guanai_core::time::shanghai_date(crate::ui::now()).year())
            .unwrap_or(2026);
        state.update(|p| {
            p.awards.push(Award {
                year,
                title: Text::new(format!("{year}年度爱心单位"), format!("{year} Caring Unit")),
            })
        })
    };
    let add_location = move |_| {
        state.update(|p| {
            let n = p.locations.len();
            p.locations.push(empty_location(&p.id, n));
        });
        placing.set(state.with_untracked(|p| p.locations.len().saturating_sub(1)));
    };

    view! {
        <form class="edit partner" on:submit=submit novalidate>
            <DraftHeading is_new titles=(label("新建合作单位", "New partner"), label("编辑合作单位", "Edit partner"))
                id_label=label("编号（小写字母、数字和连字符，例如 weier-dental）", "Id (lower-case letters, digits and hyphens, e.g. weier-dental)") id set_id errors />
            <Field label=label("名称（中文）", "Name (Chinese)") value=name_zh set=set_name_zh path="name.zh".into() errors required=true />
            <Field label=label("名称（英文）", "Name (English)") value=name_en set=set_name_en path="name.en".into() errors required=true />
            <Choice label=label("类型", "Kind") value=Signal::derive(move || state.with(|p| kind_code(p.kind))) set=Callback::new(move |v: String| state.update(|p| if let Some(k) = KINDS.iter().find(|k| kind_code(**k) == v) { p.kind = *k })) options=kind_options path="kind".into() errors=errors />
            <Choice label=label("负责协会", "Responsible association") value=association.into() set=Callback::new(move |v| association.set(v)) options=association_options path="association".into() errors=errors />
            <ContactFields state errors />
            <h3>{t("爱心单位荣誉", "Caring-unit honours")}</h3>
            {awards}
            <button type="button" class="secondary" on:click=add_award>{t("添加荣誉", "Add an honour")}</button>
            <h3>{t("服务地点", "Locations")}</h3>
            {locations}
            <button type="button" class="secondary add-location" on:click=add_location>{t("添加服务地点", "Add a location")}</button>
            <Show when=move || location_count.get() != 0>
                <div class="picker" node_ref=map_box>
                    <p id="picker-help">{move || format!(
                        "{} {}",
                        t_str(lang.get(), "点击地图为此地点选点：", "Click the map to place location"),
                        placing.get() + 1
                    )}</p>
                    <guanai-partner-map pick="" tiles="amap" picked=picked lang=move || lang.get().tag() aria-describedby="picker-help"></guanai-partner-map>
                </div>
            </Show>
            <DraftFooter archived_label=label("合作已结束（归档，不再发布）", "Partnership ended (archived, not published)") archived form cancel />
        </form>
    }
}

/// The map announces placed positions with `guanai:pick` (it bubbles out of its shadow root):
/// they become the coordinates of location `placing` of `state`.
fn place_from_map(
    map_box: NodeRef<leptos::html::Div>,
    state: RwSignal<Partner>,
    placing: RwSignal<usize>,
) {
    Effect::new(move |_| {
        let Some(element) = map_box.get() else { return };
        let listener =
            Closure::<dyn Fn(web_sys::CustomEvent)>::new(move |event: web_sys::CustomEvent| {
                let detail = event.detail();
                let read = |name: &str| {
                    js_sys::Reflect::get(&detail, &JsValue::from_str(name))
                        .ok()
                        .and_then(|v| v.as_string())
                        .and_then(|v| v.parse::<f64>().ok())
                };
                if let (Some(lat), Some(lon)) = (read("lat"), read("lon")) {
                    let i = placing.get_untracked();
                    state.update(|p| {
                        if let Some(location) = location_mut(p, i) {
                            location.lat = lat;
                            location.lon = lon;
                        }
                    });
                }
            });
        let _ = element
            .add_event_listener_with_callback("guanai:pick", listener.as_ref().unchecked_ref());
        let kept = send_wrapper::SendWrapper::new((element, listener));
        on_cleanup(move || {
            let (element, listener) = &*kept;
            let _ = element.remove_event_listener_with_callback(
                "guanai:pick",
                listener.as_ref().unchecked_ref(),
            );
        });
    });
}

/// One location of the partner: its id, branch name, address, district and coordinates, and
/// the buttons that choose it for the map picker or remove it.
#[component]
fn LocationFields(
    /// Which location.
    i: usize,
    /// The partner being edited.
    state: RwSignal<Partner>,
    /// Field errors, client and server.
    errors: RwSignal<Vec<FieldError>>,
    /// Which location the map places.
    placing: RwSignal<usize>,
) -> impl IntoView {
    let lang = admin().lang;
    let at = format!("locations[{i}]");
    let (loc_id, set_loc_id) = bind(
        state,
        move |p| p.locations.get(i).map(|l| l.id.clone()).unwrap_or_default(),
        move |p, v| {
            if let Some(l) = location_mut(p, i) {
                l.id = v.trim().to_ascii_lowercase()
            }
        },
    );
    let (addr_zh, set_addr_zh) = bind(
        state,
        move |p| {
            p.locations
                .get(i)
                .map(|l| l.address.zh.clone())
                .unwrap_or_default()
        },
        move |p, v| {
            if let Some(l) = location_mut(p, i) {
                l.address.zh = v
            }
        },
    );
    let (addr_en, set_addr_en) = bind(
        state,
        move |p| {
            p.locations
                .get(i)
                .map(|l| l.address.en.clone())
                .unwrap_or_default()
        },
        move |p, v| {
            if let Some(l) = location_mut(p, i) {
                l.address.en = v
            }
        },
    );
    let (branch_zh, set_branch_zh) = bind(
        state,
        move |p| {
            p.locations
                .get(i)
                .and_then(|l| l.name.as_ref())
                .map(|n| n.zh.clone())
                .unwrap_or_default()
        },
        move |p, v| {
            if let Some(l) = location_mut(p, i) {
                l.name.get_or_insert_with(|| Text::new("", "")).zh = v;
                if l.name
                    .as_ref()
                    .is_some_and(|n| n.zh.is_empty() && n.en.is_empty())
                {
                    l.name = None
                }
            }
        },
    );
    let (branch_en, set_branch_en) = bind(
        state,
        move |p| {
            p.locations
                .get(i)
                .and_then(|l| l.name.as_ref())
                .map(|n| n.en.clone())
                .unwrap_or_default()
        },
        move |p, v| {
            if let Some(l) = location_mut(p, i) {
                l.name.get_or_insert_with(|| Text::new("", "")).en = v;
                if l.name
                    .as_ref()
                    .is_some_and(|n| n.zh.is_empty() && n.en.is_empty())
                {
                    l.name = None
                }
            }
        },
    );
    let (region, set_region) = bind(
        state,
        move |p| {
            p.locations
                .get(i)
                .map(|l| l.region.clone())
                .unwrap_or_default()
        },
        move |p, v| {
            if let Some(l) = location_mut(p, i) {
                l.region = v
            }
        },
    );
    let coordinate = move |get: fn(&Location) -> f64, set: fn(&mut Location, f64), path: String| {
        let shown = Signal::derive(move || {
            state.with(|p| {
                p.locations
                    .get(i)
                    .map(|l| format!("{:.6}", get(l)))
                    .unwrap_or_default()
            })
        });
        let path_for_set = path.clone();
        let set = Callback::new(move |v: String| match v.trim().parse::<f64>() {
            Ok(number) if number.is_finite() => {
                errors.update(|e| e.retain(|e| e.field != path_for_set));
                state.update(|p| {
                    if let Some(l) = location_mut(p, i) {
                        set(l, number)
                    }
                });
            }
            _ => errors.update(|e| {
                e.retain(|e| e.field != path_for_set);
                e.push(FieldError::new(
                    path_for_set.clone(),
                    "invalid_number",
                    "请输入数字（WGS-84 经纬度）。",
                    "Enter a number (WGS-84 latitude / longitude).",
                ));
            }),
        });
        (shown, set, path)
    };
    let (lat, set_lat, lat_path) = coordinate(|l| l.lat, |l, v| l.lat = v, format!("{at}.lat"));
    let (lon, set_lon, lon_path) = coordinate(|l| l.lon, |l, v| l.lon = v, format!("{at}.lon"));
    let regions = Signal::derive(move || region_options(lang.get(), None));
    view! {
        <fieldset class="location" class:placing=move || placing.get() == i>
            <legend>{move || format!("{} {}", t_str(lang.get(), "服务地点", "Location"), i + 1)}</legend>
            <Field label=label("地点编号", "Location id") value=loc_id set=set_loc_id path=format!("{at}.id") errors required=true />
            <Field label=label("分店名称（中文，可选）", "Branch name (Chinese, optional)") value=branch_zh set=set_branch_zh path=format!("{at}.name.zh") errors />
            <Field label=label("分店名称（英文，可选）", "Branch name (English, optional)") value=branch_en set=set_branch_en path=format!("{at}.name.en") errors />
            <Field label=label("地址（中文）", "Address (Chinese)") value=addr_zh set=set_addr_zh path=format!("{at}.address.zh") errors required=true />
            <Field label=label("地址（英文）", "Address (English)") value=addr_en set=set_addr_en path=format!("{at}.address.en") errors required=true />
            <Choice label=label("所在区县", "District") value=region set=set_region options=regions path=format!("{at}.region") errors=errors />
            <Field label=label("纬度（WGS-84）", "Latitude (WGS-84)") value=lat set=set_lat path=lat_path errors input=Input::Number required=true />
            <Field label=label("经度（WGS-84）", "Longitude (WGS-84)") value=lon set=set_lon path=lon_path errors input=Input::Number required=true />
            <div class="toolbar">
                <button type="button" class="secondary place" aria-pressed=move || if placing.get() == i { "true" } else { "false" } on:click=move |_| placing.set(i)>
                    {t("在下方地图上选点", "Place on the map below")}
                </button>
                <button type="button" class="secondary remove" on:click=move |_| {
                    state.update(|p| { if i < p.locations.len() { p.locations.remove(i); } });
                    placing.set(0);
                }>
                    {t("删除此地点", "Remove this location")}
                </button>
            </div>
        </fieldset>
    }
}

/// One 爱心单位 honour: the year and its title in both languages.
#[component]
fn AwardFields(
    /// Which honour.
    j: usize,
    /// The partner being edited.
    state: RwSignal<Partner>,
    /// Field errors, client and server.
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let lang = admin().lang;
    let at = format!("awards[{j}]");
    let year_path = format!("{at}.year");
    let year_shown = Signal::derive(move || {
        state.with(|p| {
            p.awards
                .get(j)
                .map(|a| a.year.to_string())
                .unwrap_or_default()
        })
    });
    let set_year = {
        let year_path = year_path.clone();
        Callback::new(move |v: String| match v.trim().parse::<u16>() {
            Ok(year) => {
                errors.update(|e| e.retain(|e| e.field != year_path));
                state.update(|p| {
                    if let Some(a) = p.awards.get_mut(j) {
                        a.year = year
                    }
                });
            }
            Err(_) => errors.update(|e| {
                e.retain(|e| e.field != year_path);
                e.push(FieldError::new(
                    year_path.clone(),
                    "invalid_year",
                    "请输入年份，例如 2025。",
                    "Enter a year, e.g. 2025.",
                ));
            }),
        })
    };
    let (title_zh, set_title_zh) = bind(
        state,
        move |p| {
            p.awards
                .get(j)
                .map(|a| a.title.zh.clone())
                .unwrap_or_default()
        },
        move |p, v| {
            if let Some(a) = p.awards.get_mut(j) {
                a.title.zh = v
            }
        },
    );
    let (title_en, set_title_en) = bind(
        state,
        move |p| {
            p.awards
                .get(j)
                .map(|a| a.title.en.clone())
                .unwrap_or_default()
        },
        move |p, v| {
            if let Some(a) = p.awards.get_mut(j) {
                a.title.en = v
            }
        },
    );
    view! {
        <fieldset class="award">
            <legend>{move || format!("{} {}", t_str(lang.get(), "荣誉", "Honour"), j + 1)}</legend>
            <Field label=label("年份", "Year") value=year_shown set=set_year path=year_path errors input=Input::Number required=true />
            <Field label=label("称号（中文）", "Title (Chinese)") value=title_zh set=set_title_zh path=format!("{at}.title.zh") errors />
            <Field label=label("称号（英文）", "Title (English)") value=title_en set=set_title_en path=format!("{at}.title.en") errors />
            <button type="button" class="secondary remove" on:click=move |_| state.update(|p| { if j < p.awards.len() { p.awards.remove(j); } })>
                {t("删除此荣誉", "Remove this honour")}
            </button>
        </fieldset>
    }
}

/// The associations staff may make responsible: their own, or (plan-wide staff) any or none.
fn association_options(own_association: Option<Association>) -> Signal<Vec<(String, String)>> {
    let lang = admin().lang;
    Signal::derive(move || {
        let lang = lang.get();
        let mut options = Vec::new();
        if own_association.is_none() {
            options.push((
                String::new(),
                t_str(
                    lang,
                    "全计划（仅计划管理员可编辑）",
                    "Plan-wide (plan admins only)",
                )
                .to_string(),
            ));
        }
        options.extend(
            Association::ALL
                .iter()
                .filter(|a| own_association.is_none_or(|own| own == **a))
                .map(|a| (a.code().to_string(), a.name().get(lang).to_string())),
        );
        options
    })
}

/// The partner's public contact: phone, email, website (each optional).
#[component]
fn ContactFields(
    /// The partner being edited.
    state: RwSignal<Partner>,
    /// Field errors, client and server.
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let (phone, set_phone) = bind(
        state,
        |p| p.contact.phone.clone().unwrap_or_default(),
        |p, v| p.contact.phone = optional(v),
    );
    let (email, set_email) = bind(
        state,
        |p| p.contact.email.clone().unwrap_or_default(),
        |p, v| p.contact.email = optional(v),
    );
    let (website, set_website) = bind(
        state,
        |p| p.contact.website.clone().unwrap_or_default(),
        |p, v| p.contact.website = optional(v),
    );
    view! {
    <fieldset>
        <legend>{t("联系方式", "Contact")}</legend>
        <Field label=label("电话", "Phone") value=phone set=set_phone path="contact.phone".into() errors />
        <Field label=label("电子邮箱", "Email") value=email set=set_email path="contact.email".into() errors />
        <Field label=label("网站", "Website") value=website set=set_website path="contact.website".into() errors />
    </fieldset>
    }
}
