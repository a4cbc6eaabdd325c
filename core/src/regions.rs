//! GB/T 2260 administrative regions served by the plan: the three province-level regions,
//! Beijing's 16 and Tianjin's 16 districts, and Hebei's 11 prefecture-level cities.
//!
//! Development-zone codes are deliberately absent: they are not GB/T 2260 county-level codes and
//! social workers do not identify with them. The table mirrors `core/data/jingjinji-regions.csv`
//! (from modood/Administrative-divisions-of-China, WTFPL); a test keeps the two identical.

use crate::model::Text;

/// Where a region sits in the hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionLevel {
    /// A province-level region: Beijing, Tianjin (municipalities) or Hebei (province).
    Province,
    /// A district of a municipality.
    District,
    /// A prefecture-level city of Hebei.
    City,
}

/// One region and its place in the hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// Six-digit GB/T 2260 code, e.g. `"110105"`.
    pub code: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub level: RegionLevel,
    /// The province-level region's code; `None` for provinces.
    pub parent: Option<&'static str>,
}

impl Region {
    /// The region's name in both languages.
    pub fn name(&self) -> Text {
        Text::new(self.name_zh, self.name_en)
    }

    /// The province-level code this region belongs to (itself for a province).
    pub fn province(&self) -> &'static str {
        self.parent.unwrap_or(self.code)
    }
}

/// Every region, provinces first, then each province's districts or cities in code order.
pub const ALL: &[Region] = &[
    Region {
        code: "110000",
        name_zh: "北京市",
        name_en: "Beijing",
        level: RegionLevel::Province,
        parent: None,
    },
    Region {
        code: "120000",
        name_zh: "天津市",
        name_en: "Tianjin",
        level: RegionLevel::Province,
        parent: None,
    },
    Region {
        code: "130000",
        name_zh: "河北省",
        name_en: "Hebei",
        level: RegionLevel::Province,
        parent: None,
    },
    Region {
        code: "110101",
        name_zh: "东城区",
        name_en: "Dongcheng",
        level: RegionLevel::District,
        parent: Some("110000"),
    },
    Region {
        code: "110102",
        name_zh: "西城区",
        name_en: "Xicheng",
        level: RegionLevel::District,
        parent: Some("110000"),
    },
    Region {
        code: "110105",
        name_zh: "朝阳区",
        name_en: "Chaoyang",
        level: RegionLevel::District,
        parent: Some("110000"),
    },
    Region {
        code: "110106",
        name_zh: "丰台区",
        name_en: "Fengtai",
        level: RegionLevel::District,
        parent: Some("110000"),
    },
    Region {
        code: "110107",
        name_zh: "石景山区",
        name_en: "Shijingshan",
        level: RegionLevel::District,
        parent: Some("110000"),
    },
    Region {
        code: "110108",
        name_zh: "海淀区",
        name_en: "Haidian",
        level: RegionLevel::District,
        parent: Some("110000"),
    },
    Region {
        code: "110109",
        name_zh: "门头沟区",
        name_en: "Mentougou",
        level: RegionLevel::District,
        parent: Some("110000"),
    },
    Region {
        code: "110111",
        name_zh: "房山区",
        name_en: "Fangshan",
        level: RegionLevel::District,
        parent: Some("110000"),
    },
    Region {
        code: "110112",
        name_zh: "通州区",
        name_en: "Tongzhou",
        level: RegionLevel::District,
        parent: Some("110000"),
    },
    Region {
        code: "110113",
        name_zh: "顺义区",
        name_en: "Shunyi",
        level: RegionLevel::District,
        parent: Some("110000"),
    },
    Region {
        code: "110114",
        name_zh: "昌平区",
        name_en: "Changping",
        level: RegionLevel::District,
        parent: Some("110000"),
    },
    Region {
        code: "110115",
        name_zh: "大兴区",
        name_en: "Daxing",
        level: RegionLevel::District,
        parent: Some("110000"),
    },
    Region {
        code: "110116",
        name_zh: "怀柔区",
        name_en: "Huairou",
        level: RegionLevel::District,
        parent: Some("110000"),
    },
    Region {
        code: "110117",
        name_zh: "平谷区",
        name_en: "Pinggu",
        level: RegionLevel::District,
        parent: Some("110000"),
    },
    Region {
        code: "110118",
        name_zh: "密云区",
        name_en: "Miyun",
        level: RegionLevel::District,
        parent: Some("110000"),
    },
    Region {
        code: "110119",
        name_zh: "延庆区",
        name_en: "Yanqing",
        level: RegionLevel::District,
        parent: Some("110000"),
    },
    Region {
        code: "120101",
        name_zh: "和平区",
        name_en: "Heping",
        level: RegionLevel::District,
        parent: Some("120000"),
    },
    Region {
        code: "120102",
        name_zh: "河东区",
        name_en: "Hedong",
        level: RegionLevel::District,
        parent: Some("120000"),
    },
    Region {
        code: "120103",
        name_zh: "河西区",
        name_en: "Hexi",
        level: RegionLevel::District,
        parent: Some("120000"),
    },
    Region {
        code: "120104",
        name_zh: "南开区",
        name_en: "Nankai",
        level: RegionLevel::District,
        parent: Some("120000"),
    },
    Region {
        code: "120105",
        name_zh: "河北区",
        name_en: "Hebei District",
        level: RegionLevel::District,
        parent: Some("120000"),
    },
    Region {
        code: "120106",
        name_zh: "红桥区",
        name_en: "Hongqiao",
        level: RegionLevel::District,
        parent: Some("120000"),
    },
    Region {
        code: "120110",
        name_zh: "东丽区",
        name_en: "Dongli",
        level: RegionLevel::District,
        parent: Some("120000"),
    },
    Region {
        code: "120111",
        name_zh: "西青区",
        name_en: "Xiqing",
        level: RegionLevel::District,
        parent: Some("120000"),
    },
    Region {
        code: "120112",
        name_zh: "津南区",
        name_en: "Jinnan",
        level: RegionLevel::District,
        parent: Some("120000"),
    },
    Region {
        code: "120113",
        name_zh: "北辰区",
        name_en: "Beichen",
        level: RegionLevel::District,
        parent: Some("120000"),
    },
    Region {
        code: "120114",
        name_zh: "武清区",
        name_en: "Wuqing",
        level: RegionLevel::District,
        parent: Some("120000"),
    },
    Region {
        code: "120115",
        name_zh: "宝坻区",
        name_en: "Baodi",
        level: RegionLevel::District,
        parent: Some("120000"),
    },
    Region {
        code: "120116",
        name_zh: "滨海新区",
        name_en: "Binhai New Area",
        level: RegionLevel::District,
        parent: Some("120000"),
    },
    Region {
        code: "120117",
        name_zh: "宁河区",
        name_en: "Ninghe",
        level: RegionLevel::District,
        parent: Some("120000"),
    },
    Region {
        code: "120118",
        name_zh: "静海区",
        name_en: "Jinghai",
        level: RegionLevel::District,
        parent: Some("120000"),
    },
    Region {
        code: "120119",
        name_zh: "蓟州区",
        name_en: "Jizhou",
        level: RegionLevel::District,
        parent: Some("120000"),
    },
    Region {
        code: "130100",
        name_zh: "石家庄市",
        name_en: "Shijiazhuang",
        level: RegionLevel::City,
        parent: Some("130000"),
    },
    Region {
        code: "130200",
        name_zh: "唐山市",
        name_en: "Tangshan",
        level: RegionLevel::City,
        parent: Some("130000"),
    },
    Region {
        code: "130300",
        name_zh: "秦皇岛市",
        name_en: "Qinhuangdao",
        level: RegionLevel::City,
        parent: Some("130000"),
    },
    Region {
        code: "130400",
        name_zh: "邯郸市",
        name_en: "Handan",
        level: RegionLevel::City,
        parent: Some("130000"),
    },
    Region {
        code: "130500",
        name_zh: "邢台市",
        name_en: "Xingtai",
        level: RegionLevel::City,
        parent: Some("130000"),
    },
    Region {
        code: "130600",
        name_zh: "保定市",
        name_en: "Baoding",
        level: RegionLevel::City,
        parent: Some("130000"),
    },
    Region {
        code: "130700",
        name_zh: "张家口市",
        name_en: "Zhangjiakou",
        level: RegionLevel::City,
        parent: Some("130000"),
    },
    Region {
        code: "130800",
        name_zh: "承德市",
        name_en: "Chengde",
        level: RegionLevel::City,
        parent: Some("130000"),
    },
    Region {
        code: "130900",
        name_zh: "沧州市",
        name_en: "Cangzhou",
        level: RegionLevel::City,
        parent: Some("130000"),
    },
    Region {
        code: "131000",
        name_zh: "廊坊市",
        name_en: "Langfang",
        level: RegionLevel::City,
        parent: Some("130000"),
    },
    Region {
        code: "131100",
        name_zh: "衡水市",
        name_en: "Hengshui",
        level: RegionLevel::City,
        parent: Some("130000"),
    },
];

/// The region with this code, if the plan serves it.
pub fn find(code: &str) -> Option<&'static Region> {
    ALL.iter().find(|region| region.code == code)
}

/// The three province-level regions.
pub fn provinces() -> impl Iterator<Item = &'static Region> {
    ALL.iter()
        .filter(|region| region.level == RegionLevel::Province)
}

/// The districts (or prefecture-level cities) of a province-level region.
pub fn children_of(province: &str) -> impl Iterator<Item = &'static Region> + '_ {
    ALL.iter()
        .filter(move |region| region.parent == Some(province))
}

/// Whether an offer made for `offered` concerns someone looking in `wanted`.
///
/// The hierarchy works both ways: an offer for all of Beijing (`110000`) concerns someone in
/// Chaoyang (`110105`), and someone browsing "all of Beijing" wants to see an offer made only in
/// Chaoyang. Unknown codes only match themselves.
pub fn overlaps(offered: &str, wanted: &str) -> bool {
    if offered == wanted {
        return true;
    }
    match (find(offered), find(wanted)) {
        (Some(offered), Some(wanted)) => {
            offered.province() == wanted.province()
                && (offered.level == RegionLevel::Province || wanted.level == RegionLevel::Province)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_matches_the_shipped_csv() {
        let csv = include_str!("../data/jingjinji-regions.csv");
        let rows: Vec<Vec<&str>> = csv
            .lines()
            .skip(1)
            .map(|line| line.split(',').collect())
            .collect();
        assert_eq!(rows.len(), ALL.len());
        for (row, region) in rows.iter().zip(ALL) {
            assert_eq!(row[0], region.code);
            assert_eq!(row[1], region.name_zh);
            assert_eq!(row[2], region.name_en);
            assert_eq!(row[4], region.parent.unwrap_or(""));
        }
    }

    #[test]
    fn counts_match_the_programme() {
        assert_eq!(provinces().count(), 3);
        assert_eq!(children_of("110000").count(), 16);
        assert_eq!(children_of("120000").count(), 16);
        assert_eq!(children_of("130000").count(), 11);
        assert!(children_of("130000").all(|r| r.level == RegionLevel::City));
    }

    #[test]
    fn a_district_matches_its_province_both_ways() {
        assert!(overlaps("110000", "110105"));
        assert!(overlaps("110105", "110000"));
        assert!(overlaps("110105", "110105"));
        assert!(
            !overlaps("110105", "110108"),
            "sibling districts are different places"
        );
        assert!(!overlaps("120000", "110105"));
        assert!(!overlaps("130600", "110000"));
        assert!(!overlaps("999999", "110000"));
    }
}
