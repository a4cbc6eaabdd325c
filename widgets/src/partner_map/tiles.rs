//! Optional raster tiles under the pins: which provider, its URL, its datum and its credit.
//!
//! The offline SVG base map needs nothing external. A host page may ask for tiles with
//! `tiles="amap" | "tencent" | "tianditu" | "osm"` or a URL template with `{z}`, `{x}`, `{y}`
//! (`{-y}` for TMS rows, `{s}` for a subdomain). AMap and Tencent draw in GCJ-02, so pins are
//! shifted to GCJ-02 before drawing on them; Tianditu (CGCS2000, within centimetres of WGS-84)
//! and OpenStreetMap take WGS-84 as stored. Host pages with a CSP must allow the tile host in
//! `img-src`.

use guanai_core::Lang;

/// The datum a tile set is drawn in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Datum {
    Wgs84,
    Gcj02,
}

/// A tile layer (or two, for Tianditu's separate label layer) with its credit line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TileSource {
    /// URL templates, drawn in order.
    pub layers: Vec<String>,
    /// Values for `{s}`, chosen per tile so browsers spread requests over hosts.
    pub subdomains: &'static [&'static str],
    pub datum: Datum,
    /// The provider's required credit, in Chinese and English.
    pub credit: (String, String),
}

/// Why a `tiles` attribute could not be honoured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TilesProblem {
    /// Tianditu needs the site's own key (`tiles-key`).
    MissingKey,
}

impl TileSource {
    /// The source for the element's `tiles`, `tiles-key`, `tiles-crs` and `tiles-attribution`
    /// attributes. `Ok(None)`: no tiles (the offline map alone); unknown values are ignored.
    pub fn from_attributes(
        tiles: Option<&str>,
        key: Option<&str>,
        crs: Option<&str>,
        attribution: Option<&str>,
    ) -> Result<Option<TileSource>, TilesProblem> {
        let Some(tiles) = tiles.map(str::trim).filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        let credit = |zh: &str, en: &str| (zh.to_string(), en.to_string());
        let source = match tiles {
            "osm" => TileSource {
                layers: vec!["https://tile.openstreetmap.org/{z}/{x}/{y}.png".into()],
                subdomains: &[],
                datum: Datum::Wgs84,
                credit: credit("© OpenStreetMap 贡献者", "© OpenStreetMap contributors"),
            },
            "amap" => TileSource {
                layers: vec![
                    "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}"
                        .into(),
                ],
                subdomains: &["1", "2", "3", "4"],
                datum: Datum::Gcj02,
                credit: credit("© 高德地图", "© AutoNavi (AMap)"),
            },
            "tencent" => TileSource {
                layers: vec!["https://rt{s}.map.gtimg.com/tile?z={z}&x={x}&y={-y}&styleid=1000&scene=0".into()],
                subdomains: &["0", "1", "2", "3"],
                datum: Datum::Gcj02,
                credit: credit("© 腾讯地图", "© Tencent Maps"),
            },
            "tianditu" => {
                let key = key.map(str::trim).filter(|k| !k.is_empty()).ok_or(TilesProblem::MissingKey)?;
                let layer = |name: &str| {
                    format!(
                        "https://t{{s}}.tianditu.gov.cn/DataServer?T={name}_w&x={{x}}&y={{y}}&l={{z}}&tk={}",
                        js_sys::encode_uri_component(key)
                    )
                };
                TileSource {
                    layers: vec![layer("vec"), layer("cva")],
                    subdomains: &["0", "1", "2", "3", "4", "5", "6", "7"],
                    datum: Datum::Wgs84,
                    credit: credit("© 天地图 · 国家地理信息公共服务平台", "© Tianditu, National Platform for Common GeoSpatial Information Services"),
                }
            }
            template if is_template(template) => {
                let text = attribution.map(str::trim).filter(|a| !a.is_empty()).unwrap_or("");
                TileSource {
                    layers: vec![template.to_string()],
                    subdomains: &["a", "b", "c"],
                    datum: if crs.map(str::trim) == Some("gcj02") { Datum::Gcj02 } else { Datum::Wgs84 },
                    credit: credit(text, text),
                }
            }
            _ => return Ok(None),
        };
        Ok(Some(source))
    }

    /// The URL of tile `z/x/y` in layer `layer`.
    pub fn url(&self, layer: &str, z: u8, x: u32, y: u32) -> String {
        let tms_y = (1u32 << z).saturating_sub(1).saturating_sub(y);
        let subdomain = if self.subdomains.is_empty() {
            ""
        } else {
            self.subdomains[(x as usize + y as usize) % self.subdomains.len()]
        };
        layer
            .replace("{z}", &z.to_string())
            .replace("{x}", &x.to_string())
            .replace("{-y}", &tms_y.to_string())
            .replace("{y}", &y.to_string())
            .replace("{s}", subdomain)
    }

    /// The credit line in `lang`.
    pub fn credit(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhCn => &self.credit.0,
            Lang::En => &self.credit.1,
        }
    }
}

/// A usable custom template: an http(s) URL with the three tile placeholders.
fn is_template(text: &str) -> bool {
    (text.starts_with("https://") || text.starts_with("http://"))
        && text.contains("{z}")
        && text.contains("{x}")
        && (text.contains("{y}") || text.contains("{-y}"))
}
