//! Every user-facing string of the widgets and the API, in zh-CN and en.
//!
//! Strings are looked up by key ([`Ui`], [`ErrorCode`]) rather than written inline so that a
//! missing translation is a compile error (each key's `match` arm must give both) and a test can
//! check that none is empty. Templates use `{n}`-style placeholders filled by [`fill`].

use serde::{Deserialize, Serialize};

use crate::codes::Lang;

/// Defines a key enum whose every variant has a zh-CN and an English string.
macro_rules! strings {
    ($(#[$meta:meta])* $ty:ident { $($variant:ident => ($zh:literal, $en:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $ty { $($variant),+ }

        impl $ty {
            /// Every key, for completeness tests.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// The string in `lang`.
            pub const fn get(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(($ty::$variant, Lang::ZhCn) => $zh, ($ty::$variant, Lang::En) => $en,)+
                }
            }
        }

        impl Key for $ty {
            fn text(self, lang: Lang) -> &'static str {
                self.get(lang)
            }
        }
    };
}

/// A key of any of the string tables, for code that takes a label from whichever table.
pub trait Key: Copy + Send + Sync + 'static {
    /// The string in `lang`.
    fn text(self, lang: Lang) -> &'static str;
}

strings!(
    /// Labels and messages of the widgets.
    Ui {
        FinderName => ("社工关爱福利查询", "Social worker benefit finder"),
        SampleData => ("示例数据：以下合作单位与福利仅供演示。", "Sample data: these partners and offers are for demonstration only."),
        SearchLabel => ("搜索福利", "Search benefits"),
        SearchPlaceholder => ("输入关键词，如：口腔、酒店、法律", "Keywords, e.g. dental, hotel, legal"),
        AreasLabel => ("服务领域", "Service areas"),
        AllAreas => ("全部领域", "All areas"),
        RegionLabel => ("地区", "Region"),
        AllRegions => ("京津冀全部地区", "All of Jing-Jin-Ji"),
        WholeProvince => ("{name}（全部）", "{name} (all)"),
        LevelLabel => ("资格等级", "Qualification"),
        AnyLevel => ("不限", "Any"),
        ValidNow => ("只看当前有效", "Valid now only"),
        ClearFilters => ("清除筛选", "Clear filters"),
        FiltersToggle => ("筛选", "Filters"),
        FiltersActive => ("筛选（{n}）", "Filters ({n})"),
        ResultCount => ("共 {n} 项福利", "{n} benefits"),
        ResultCountOne => ("共 1 项福利", "1 benefit"),
        Loading => ("正在加载福利目录…", "Loading the benefit catalogue…"),
        Empty => ("没有符合条件的福利。试试更换关键词或减少筛选条件。", "No benefits match. Try other keywords or fewer filters."),
        OfflineCopy => ("无法连接服务器，显示的是 {at} 保存在本机的福利目录。", "No connection: showing the catalogue kept on this device on {at}."),
        LoadError => ("福利目录暂时无法加载，请检查网络后重试。", "The benefit catalogue could not be loaded. Check your connection and try again."),
        Retry => ("重试", "Try again"),
        ShowMore => ("显示更多（还有 {n} 项）", "Show more ({n} more)"),
        ShowDetails => ("查看详情", "Details"),
        HideDetails => ("收起详情", "Hide details"),
        Share => ("分享", "Share"),
        Print => ("打印", "Print"),
        ShareCopied => ("已复制链接：", "Link copied: "),
        ShareByHand => ("请复制此链接：", "Copy this link: "),
        Partner => ("合作单位", "Partner"),
        HowToRedeem => ("如何使用", "How to redeem"),
        Validity => ("有效期", "Valid"),
        ValidRange => ("{from} 至 {until}", "{from} to {until}"),
        ValidFrom => ("{from} 起", "from {from}"),
        ValidUntil => ("至 {until}", "until {until}"),
        NoEndDate => ("长期有效", "No end date"),
        Expired => ("已结束", "Ended"),
        NotYetStarted => ("尚未开始", "Not started yet"),
        Eligible => ("适用对象", "Who can use it"),
        EligibleEveryone => ("所有社工及在读学生", "All social workers and students"),
        Regions => ("适用地区", "Where"),
        Locations => ("服务地点", "Locations"),
        Contact => ("联系方式", "Contact"),
        Awards => ("荣誉", "Honours"),
    }
);

strings!(
    /// Labels and messages of the partner map.
    MapUi {
        MapName => ("爱心单位地图", "Caring partners map"),
        MapLabel => ("地图：方向键移动，加号、减号缩放", "Map: arrow keys move, plus and minus zoom"),
        PickLabel => ("选点地图：点击地图放置位置，或按回车把位置放在地图中心；方向键移动，加号、减号缩放", "Location picker: click the map to place the location, or press Enter to place it at the centre; arrow keys move, plus and minus zoom"),
        Picked => ("已选位置：{lat}, {lon}", "Location placed at {lat}, {lon}"),
        ZoomIn => ("放大", "Zoom in"),
        ZoomOut => ("缩小", "Zoom out"),
        ResetView => ("显示全部", "Show all"),
        NearMe => ("离我最近", "Near me"),
        Locating => ("正在获取您的位置…", "Finding your location…"),
        NearMeSorted => ("已按与您的距离排序。", "Sorted by distance from you."),
        LocationDenied => ("无法获取位置：您拒绝了定位权限。可在浏览器设置中允许后重试，或按地区筛选。", "Location unavailable: permission was denied. Allow it in your browser settings and try again, or filter by region."),
        LocationUnavailable => ("暂时无法确定您的位置，请稍后重试，或按地区筛选。", "Your location could not be determined. Try again later, or filter by region."),
        LocationUnsupported => ("此浏览器不支持定位，请按地区筛选。", "This browser cannot share your location; please filter by region."),
        YouAreHere => ("您的位置", "You are here"),
        PlaceCount => ("共 {n} 个服务地点", "{n} locations"),
        PlaceCountOne => ("共 1 个服务地点", "1 location"),
        NoPlaces => ("没有符合条件的服务地点。试试减少筛选条件。", "No locations match. Try fewer filters."),
        ListName => ("服务地点列表", "List of locations"),
        ClusterLabel => ("{n} 个服务地点，按回车放大", "{n} locations; press Enter to zoom in"),
        Selected => ("已选择：{name}", "Selected: {name}"),
        Distance => ("距您 {d}", "{d} away"),
        Address => ("地址", "Address"),
        Benefits => ("提供的福利", "Benefits offered"),
        NoBenefits => ("暂无正在提供的福利。", "No offers at the moment."),
        SeeInFinder => ("在福利查询中查看", "Show in the benefit finder"),
        Directions => ("路线", "Directions"),
        AmapDirections => ("高德地图导航", "Directions in AMap"),
        BaiduDirections => ("百度地图导航", "Directions in Baidu Maps"),
        Coordinates => ("坐标（WGS-84）", "Coordinates (WGS-84)"),
        CloseCard => ("关闭", "Close"),
        BaseMapCredit => ("底图：Natural Earth（公有领域）", "Base map: Natural Earth (public domain)"),
        TilesNeedKey => ("天地图需要 tiles-key 属性，已改用离线底图。", "Tianditu needs a tiles-key attribute; showing the offline base map."),
    }
);

strings!(
    /// The plain catalogue pages the worker serves at `/catalog` (no script needed).
    PageUi {
        Programme => ("京津冀社会工作者关爱计划", "Jing-Jin-Ji Social Worker Care Plan"),
        CatalogTitle => ("社工关爱福利目录", "Benefit catalogue for social workers"),
        CatalogIntro => ("爱心单位为登记的社会工作者提供的福利，按“6+1”服务领域列出。点开一项可查看使用方式和服务地点。", "What the plan's caring partners offer registered social workers, by the “6+1” service areas. Open one to see how to redeem it and where."),
        SkipToContent => ("跳到正文", "Skip to the content"),
        AreaCount => ("{area}（{n} 项）", "{area} ({n})"),
        PageOf => ("第 {page} 页，共 {pages} 页", "Page {page} of {pages}"),
        PagesNav => ("分页", "Pages"),
        PreviousPage => ("上一页", "Previous page"),
        NextPage => ("下一页", "Next page"),
        Continued => ("{area}（续）", "{area} (continued)"),
        Published => ("目录版本 {version}，{date} 发布。", "Catalogue version {version}, published {date}."),
        PlainNote => ("本页是福利目录的简明版本，无需脚本，适合分享和打印。", "This is the plain version of the catalogue: it needs no script and is easy to share and print."),
        BackToCatalogue => ("返回福利目录", "Back to the catalogue"),
        BackToArea => ("返回“{area}”", "Back to “{area}”"),
        About => ("福利内容", "About this offer"),
        Partner => ("合作单位", "Partner"),
        Ended => ("这项福利已结束。", "This offer has ended."),
        NoBenefits => ("这一领域暂时没有福利。", "No offers in this area at the moment."),
        MorePlaces => ("另有 {n} 个服务地点未列出。", "{n} more locations are not listed."),
        Website => ("网站", "Website"),
        Phone => ("电话", "Phone"),
        Email => ("电子邮箱", "Email"),
        NotFoundTitle => ("找不到这一页", "Page not found"),
        NotFoundBenefit => ("福利目录中没有这项福利，它可能已经下架。", "This benefit is not in the catalogue; it may have been withdrawn."),
        NotFoundPage => ("这一页不存在。", "There is no such page."),
        UnknownArea => ("没有名为“{area}”的服务领域。", "There is no service area called “{area}”."),
        BadPageNumber => ("页码“{page}”无效，应为正整数。", "The page number “{page}” is not valid; it must be a whole number from 1."),
        UnavailableTitle => ("福利目录暂时无法显示", "The catalogue cannot be shown right now"),
        Unavailable => ("福利目录尚未发布或暂时无法读取，请稍后再试。", "The catalogue has not been published yet or cannot be read right now. Please try again later."),
    }
);

strings!(
    /// Labels and messages of the sign-up form and the partner application.
    FormUi {
        SignupTitle => ("加入京津冀社会工作者关爱计划", "Join the Jing-Jin-Ji Social Worker Care Plan"),
        SignupIntro => ("登记后，所在协会将核实您的资格，并通过您留下的方式联系您。带 * 的为必填项。", "Once you register, your association verifies your qualification and contacts you as you prefer. Fields marked * are required."),
        Name => ("姓名", "Name"),
        Mobile => ("手机号码", "Mobile number"),
        MobileHint => ("中国大陆手机号，可带 +86", "Mainland China mobile; +86 is fine"),
        Association => ("所属协会", "Association"),
        ChooseAssociation => ("请选择协会", "Choose your association"),
        Region => ("所在区（市）", "District (or city)"),
        ChooseRegion => ("请选择", "Choose"),
        ChooseAssociationFirst => ("请先选择协会", "Choose your association first"),
        Employer => ("工作单位", "Employer"),
        Level => ("资格等级", "Qualification level"),
        ChooseLevel => ("请选择", "Choose"),
        CertificateNumber => ("证书编号（选填）", "Certificate number (optional)"),
        Interests => ("关注的服务领域（可多选）", "Service areas of interest (choose any)"),
        ContactTime => ("方便联系的时间", "When to contact you"),
        Honeypot => ("请勿填写此项", "Leave this empty"),
        NoticeTitle => ("个人信息处理告知（版本 {version}）", "Privacy notice (version {version})"),
        ConsentPrivacy => ("我已阅读并同意上述个人信息处理告知。*", "I have read and agree to the privacy notice above. *"),
        ConsentCrossBorder => ("我单独同意我的信息存储于可能位于中国境外的服务器。*", "I separately agree that my information may be stored on servers outside mainland China. *"),
        ConsentHealth => ("我单独同意处理我关注“身心健康”领域所涉及的健康信息。*", "I separately agree to the processing of the health information my interest in “physical & mental health” reveals. *"),
        ConsentPartners => ("向以下合作单位提供我的姓名和联系方式（每项单独同意，可不选）：", "Share my name and contact details with these partners (separate consent for each; optional):"),
        PartnersUnavailable => ("合作单位名单暂时无法加载，您可以之后再单独同意。", "The partner list could not be loaded; you can consent for partners later."),
        Submit => ("提交登记", "Register"),
        SubmitApplication => ("提交申请", "Submit application"),
        FixErrors => ("有 {n} 处需要修改，请查看标红的项目。", "{n} fields need correcting; see the messages beside them."),
        Verifying => ("正在进行安全校验…", "Running a security check…"),
        Sending => ("正在提交…", "Sending…"),
        Offline => ("当前无法连接网络。您填写的内容已保存在本设备上，恢复联网后将自动重新提交。", "You are offline. What you entered is saved on this device and will be sent again automatically when you are back online."),
        RetryingIn => ("提交未成功，{n} 秒后自动重试…", "Sending failed; trying again in {n} s…"),
        RetryNow => ("立即重试", "Try now"),
        Success => ("登记成功！您的登记编号是", "You are registered. Your reference is"),
        SuccessNext => ("请保存此编号。协会核实资格后会与您联系。", "Please keep this reference. Your association will contact you after verifying your qualification."),
        LinkTitle => ("您的个人管理链接", "Your private management link"),
        LinkWhy => ("请保存此链接（复制、收藏或扫码）：凭它可以随时查看登记状态、下载、更正或删除您的信息。它只显示这一次，请勿转发给他人。", "Keep this link (copy it, bookmark it or scan it): with it you can see your status and download, correct or delete your information at any time. It is shown only this once; do not forward it."),
        LinkLabel => ("管理链接", "Management link"),
        CopyLink => ("复制链接", "Copy link"),
        LinkCopied => ("已复制。", "Copied."),
        CopyByHand => ("无法自动复制，请长按上面的链接手动复制。", "Could not copy automatically: press and hold the link above to copy it."),
        OpenLink => ("打开管理页面", "Open the management page"),
        LinkQr => ("管理链接的二维码，可用手机扫描保存", "QR code of the management link, to scan and keep"),
        RememberDevice => ("在本设备上记住我填写的内容（包括姓名和手机号；使用此设备的人和本网站的程序可能读取）", "Remember what I type on this device (name and mobile included; people using this device and this website's scripts could read it)"),
        AlreadyRegistered => ("该手机号已经登记过关爱计划，无需重复登记。如需查看或修改登记信息，请使用登记时得到的个人管理链接，或联系所属协会。", "This mobile number is already registered for the care plan, so there is nothing more to do. To see or change the sign-up, use the management link you got when registering, or contact your association."),
        DraftRestored => ("已恢复您上次未提交的内容（同意项需重新勾选）。", "Your unsent entries were restored (please tick the consents again)."),
        ApplyTitle => ("申请成为关爱计划爱心单位", "Apply to become a caring unit of the plan"),
        ApplyIntro => ("欢迎企业和机构参与京津冀社会工作者关爱计划战略合作伙伴招募。带 * 的为必填项。", "Companies and organisations are welcome to answer the plan's call for partners. Fields marked * are required."),
        Company => ("单位名称", "Company or organisation"),
        CreditCode => ("统一社会信用代码", "Unified social credit code"),
        CreditCodeHint => ("18位，见营业执照", "18 characters, on the business licence"),
        ContactPerson => ("联系人", "Contact person"),
        Email => ("电子邮箱", "Email"),
        ContactEither => ("手机号码和电子邮箱至少填写一项。", "Give a mobile number, an email address, or both."),
        Offers => ("拟提供的福利", "Benefits you would offer"),
        OfferArea => ("服务领域", "Service area"),
        OfferDescription => ("福利内容、适用对象和使用方式", "What it is, who it is for, how to use it"),
        OfferRegions => ("适用地区（不选为京津冀全域）", "Where (none = all of Jing-Jin-Ji)"),
        AddOffer => ("再添加一项福利", "Add another benefit"),
        RemoveOffer => ("删除此项", "Remove"),
        Message => ("留言（选填）", "Message (optional)"),
        ApplySuccess => ("申请已提交！申请编号：", "Application received. Reference:"),
        ApplySuccessNext => ("我们会在十个工作日内与您联系。", "We will contact you within ten working days."),
    }
);

strings!(
    /// `<guanai-my-signup>`: a social worker's own sign-up, opened with the management link.
    OwnUi {
        Title => ("我的关爱计划登记", "My care plan sign-up"),
        NoLink => ("请通过登记时得到的个人管理链接打开此页面。链接遗失时，请联系所属协会补发。", "Open this page with the private management link you got when registering. If you lost it, ask your association for a new one."),
        Loading => ("正在读取您的登记信息…", "Reading your sign-up…"),
        Offline => ("暂时无法连接服务器，请检查网络后重试。", "The server cannot be reached right now. Check your connection and try again."),
        Retry => ("重试", "Try again"),
        StatusHeading => ("登记状态", "Status"),
        Received => ("已收到，等待所属协会核实资格。", "Received: your association has yet to verify your qualification."),
        Verified => ("已核实：您的资格已通过所属协会核实。", "Verified: your association has verified your qualification."),
        Rejected => ("未通过核实。", "Not verified."),
        Note => ("协会留言", "Note from your association"),
        StoredHeading => ("我们保存的全部信息", "Everything we store about you"),
        Reference => ("登记编号", "Reference"),
        Association => ("所属协会", "Association"),
        Region => ("所在区（市）", "District (or city)"),
        Level => ("资格等级", "Qualification level"),
        Name => ("姓名", "Name"),
        Mobile => ("手机号码", "Mobile number"),
        Employer => ("工作单位", "Employer"),
        Certificate => ("证书编号", "Certificate number"),
        Interests => ("关注的服务领域", "Service areas of interest"),
        ContactTime => ("方便联系的时间", "When to contact you"),
        RegisteredOn => ("登记日期", "Registered on"),
        NoticeAgreed => ("同意的隐私告知版本", "Privacy notice agreed to"),
        CrossBorder => ("同意境外存储", "Storage outside the mainland agreed"),
        HealthConsent => ("同意处理健康信息", "Health information consent"),
        PartnerConsents => ("同意提供信息的合作单位", "Partners you agreed to share with"),
        NoneGiven => ("无", "None"),
        Yes => ("是", "Yes"),
        KeptUntil => ("保存期限（最迟删除日期）", "Kept until (deleted by)"),
        Download => ("下载我的信息（JSON）", "Download my information (JSON)"),
        Correct => ("更正信息", "Correct my details"),
        SaveCorrection => ("保存更正", "Save corrections"),
        Cancel => ("取消", "Cancel"),
        Corrected => ("已保存更正。", "Your corrections are saved."),
        AssociationFixed => ("更换所属协会需由协会工作人员办理。", "Moving to another association is done by association staff."),
        WithdrawHeading => ("撤回同意", "Withdraw consent"),
        WithdrawHealth => ("撤回健康信息同意（同时取消“身心健康”领域）", "Withdraw the health consent (the “physical & mental health” area goes with it)"),
        WithdrawPartner => ("撤回向“{partner}”提供信息的同意", "Withdraw consent to share with “{partner}”"),
        Withdrawn => ("已撤回。", "Withdrawn."),
        DeleteHeading => ("删除全部信息", "Delete everything"),
        DeleteExplain => ("删除后，您的登记、手机号查重记录和此管理链接都将被清除，无法恢复；之后可以用同一手机号重新登记。", "This removes your sign-up, the duplicate check of your number and this link, for good; you can sign up again with the same number afterwards."),
        Delete => ("删除我的全部信息", "Delete all my information"),
        ConfirmDelete => ("确认删除，无法恢复", "Yes, delete it for good"),
        Deleted => ("您的信息已全部删除。", "All your information has been deleted."),
        Working => ("正在处理…", "Working…"),
    }
);

strings!(
    /// The `code` of an API error body, with its message.
    ErrorCode {
        NotFound => ("找不到该地址。", "Not found."),
        MethodNotAllowed => ("该地址不支持此请求方法。", "This method is not allowed here."),
        BadRequest => ("请求格式有误。", "The request is malformed."),
        Validation => ("部分内容填写有误，请按提示修改。", "Some fields need correcting; see the messages beside them."),
        CatalogUnavailable => ("福利目录尚未发布，请稍后再试。", "The benefit catalogue has not been published yet. Please try again later."),
        PayloadTooLarge => ("提交的内容过大。", "The submission is too large."),
        IdempotencyKeyRequired => ("请求缺少 Idempotency-Key 标头（8至128位字母、数字、- 或 _）。", "The request needs an Idempotency-Key header (8 to 128 letters, digits, - or _)."),
        RateLimited => ("提交过于频繁，请一分钟后再试。", "Too many submissions from your network. Please try again in a minute."),
        SpamSuspected => ("提交被识别为自动程序，未被受理。如您是真人，请刷新页面后重新填写。", "This submission looked automated and was not accepted. If you are a person, reload the page and fill in the form again."),
        TooFast => ("提交速度过快，请核对填写内容后再提交。", "That was very fast. Please check your entries and submit again."),
        ChallengeInvalid => ("安全校验无效，请刷新页面后重试。", "The security check is invalid. Reload the page and try again."),
        ChallengeExpired => ("安全校验已过期，请重新提交。", "The security check has expired. Please submit again."),
        ChallengeUnsolved => ("安全校验未完成，请重新提交。", "The security check was not completed. Please submit again."),
        ChallengeUsed => ("该安全校验已被使用，请重新提交。", "This security check was already used. Please submit again."),
        AlreadyRegistered => ("该手机号已经登记过关爱计划，无需重复登记。请使用您的个人管理链接查看或修改登记信息，或联系所属协会。", "This mobile number is already registered for the care plan: use your management link to see or change the sign-up, or contact your association."),
        InvalidLink => ("该管理链接无效或已失效。如链接遗失或已被更换，请联系所属协会补发。", "This management link is not valid (any more). If you lost it or it was replaced, ask your association for a new one."),
        Unauthenticated => ("请先登录。", "Please sign in."),
        InvalidCredentials => ("用户名或密码不正确。", "The username or password is not correct."),
        Forbidden => ("您的账号没有进行此操作的权限。", "Your account is not allowed to do this."),
        CsrfFailed => ("页面已过期，请刷新后重试。", "This page has expired. Reload it and try again."),
        UsernameTaken => ("该用户名已被使用。", "This username is already taken."),
        Internal => ("服务暂时出现问题，请稍后再试。", "Something went wrong on our side. Please try again later."),
    }
);

impl ErrorCode {
    /// The code as it appears in the JSON error body.
    pub const fn code(self) -> &'static str {
        match self {
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::Validation => "validation",
            ErrorCode::CatalogUnavailable => "catalog_unavailable",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::IdempotencyKeyRequired => "idempotency_key_required",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::SpamSuspected => "spam_suspected",
            ErrorCode::TooFast => "too_fast",
            ErrorCode::ChallengeInvalid => "challenge_invalid",
            ErrorCode::ChallengeExpired => "challenge_expired",
            ErrorCode::ChallengeUnsolved => "challenge_unsolved",
            ErrorCode::ChallengeUsed => "challenge_used",
            ErrorCode::AlreadyRegistered => "already_registered",
            ErrorCode::InvalidLink => "invalid_link",
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::InvalidCredentials => "invalid_credentials",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::CsrfFailed => "csrf_failed",
            ErrorCode::UsernameTaken => "username_taken",
            ErrorCode::Internal => "internal",
        }
    }

    /// Reads a code from an error body; unknown codes read as [`ErrorCode::Internal`] so a newer
    /// server never leaves an older widget without a message.
    pub fn from_code(code: &str) -> ErrorCode {
        ErrorCode::ALL
            .iter()
            .copied()
            .find(|e| e.code() == code)
            .unwrap_or(ErrorCode::Internal)
    }
}

/// The error body of every API failure: `{"error": {"code", "message": {zh, en}, "fields"?}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// The inside of [`ErrorBody`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: crate::model::Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<crate::validate::FieldError>,
}

impl ErrorBody {
    /// The body for `code`, with its bilingual message.
    pub fn new(code: ErrorCode, fields: Vec<crate::validate::FieldError>) -> ErrorBody {
        let message = crate::model::Text::new(code.get(Lang::ZhCn), code.get(Lang::En));
        ErrorBody {
            error: ErrorDetail {
                code: code.code().to_string(),
                message,
                fields,
            },
        }
    }
}

/// Replaces each `{name}` in `template` with its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_string(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_translation_is_missing() {
        for lang in [Lang::ZhCn, Lang::En] {
            for key in Ui::ALL {
                assert!(
                    !key.get(lang).trim().is_empty(),
                    "{key:?} is empty in {lang:?}"
                );
            }
            for key in MapUi::ALL {
                assert!(
                    !key.get(lang).trim().is_empty(),
                    "{key:?} is empty in {lang:?}"
                );
            }
            for key in FormUi::ALL {
                assert!(
                    !key.get(lang).trim().is_empty(),
                    "{key:?} is empty in {lang:?}"
                );
            }
            for key in ErrorCode::ALL {
                assert!(
                    !key.get(lang).trim().is_empty(),
                    "{key:?} is empty in {lang:?}"
                );
            }
        }
    }

    #[test]
    fn placeholders_agree_between_languages() {
        let placeholders = |s: &str| {
            let mut names: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|rest| rest.split_once('}'))
                .map(|(name, _)| name.to_string())
                .collect();
            names.sort();
            names
        };
        for key in Ui::ALL {
            assert_eq!(
                placeholders(key.get(Lang::ZhCn)),
                placeholders(key.get(Lang::En)),
                "{key:?}"
            );
        }
        for key in MapUi::ALL {
            assert_eq!(
                placeholders(key.get(Lang::ZhCn)),
                placeholders(key.get(Lang::En)),
                "{key:?}"
            );
        }
    }

    #[test]
    fn fill_replaces_every_placeholder() {
        assert_eq!(
            fill(Ui::ResultCount.get(Lang::ZhCn), &[("n", "12")]),
            "共 12 项福利"
        );
        assert_eq!(
            fill(
                Ui::ValidRange.get(Lang::En),
                &[("from", "a"), ("until", "b")]
            ),
            "a to b"
        );
    }

    #[test]
    fn error_codes_round_trip_and_unknown_codes_still_have_a_message() {
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_code(code.code()), *code);
        }
        assert_eq!(ErrorCode::from_code("from_the_future"), ErrorCode::Internal);
        let body = serde_json::to_value(ErrorBody::new(ErrorCode::NotFound, vec![])).unwrap();
        assert_eq!(body["error"]["code"], "not_found");
        assert!(body["error"].get("fields").is_none());
    }
}
