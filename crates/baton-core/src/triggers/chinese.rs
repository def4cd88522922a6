//! Explicit requests for a human in Chinese (simplified, with the common traditional forms).
//!
//! Chinese has no spaces, so instead of tokens the detector scans each clause (split at
//! punctuation, and at a space between two characters) for a word naming a person and reads
//! the few characters around it. The words come in kinds:
//!
//! - **helpers** (人工, 真人, 工作人员 …) are asked for by a request verb in front, through
//!   measure words, softeners and a modifier ending in 的 ("转人工", "找个真人", "我需要人工",
//!   "找你们在线的人工"), by "with … talk" around them ("跟客服聊"), or by nothing but
//!   politeness ("人工客服，谢谢"); 有 asks too ("有活人在线吗"). 客服 is also how people address
//!   the bot ("客服，我想问…"), so alone it asks only at the end of a message or with a
//!   presence word ("客服在吗");
//! - **roles** (经理, 主管, 同事, 工程师, 专员 …) and **named people** (a surname and a title,
//!   "王经理", "刘总", "小张") are asked for only through a verb, past a short modifier
//!   ("找你们售后专员", "请财务部的同事"), and only when what follows carries on the request
//!   ("…来", "…帮我看看", "…聊一下", the end of the clause), so "需要医生签字吗" is silent;
//! - **人** alone, through fewer verbs ("找个人帮我看看", "换个人来", "有没有人在线", "总得
//!   有人处理"), with a modifier only of ability or of the company ("能做主的人", "财务部的人");
//! - a role or name also asked after ("李经理现在在吗", "你们公司的人呢"), or standing as the whole
//!   message ("财务部！"); roles the company assigns stay requests after "我的" ("我的顾问");
//! - misspellings of 人工 ("转人攻", "找rengong"), only through a verb.
//!
//! Besides, a refusal of the bot asks for a human ("不想再跟机器人谈", "机器人闭嘴"), and so does
//! a transfer with nothing else ("帮我转接一下", "那就转过去") and the absence of a human
//! ("连一个活人都没有", "没有人工吗"). Cantonese forms (有冇, 搵, 喺度, 唔該) are read too.
//!
//! Nothing fires when a negation scopes over the verb ("不用转人工", "不用帮我转人工"), a
//! condition or a past time is in the clause ("如果…", "昨天…", but "可以的话" is polite), the
//! noun is asked about ("你是真人吗", "转人工要收费吗", "客服电话是多少"), means something else
//! (人工智能, 人工晶体, 真人秀), is taken back ("人工就不用了"), belongs to the writer ("跟我同事
//! 说"), or is what something is moved to ("把订单转给我同事").

use super::normalize::is_cjk;

/// Human helpers that are asked for on their own.
#[rustfmt::skip]
const STRONG: &[&str] = &[
    "人工客服", "人工服务", "人工服務", "人工坐席", "人工座席", "人工台", "人工服务台",
    "人工服務台", "人工接线", "人工接線", "人工在线", "人工在線", "人工客户", "人工", "真人客服",
    "真人服务", "真人服務", "真人", "活人", "真实的人", "真實的人", "人类", "人類", "客服人员",
    "客服人員", "客服专员", "客服專員", "客服代表", "工作人员", "工作人員", "服务人员", "服務人員",
    "接线员", "接線員", "话务员", "話務員", "大活人", "喘气的", "喘氣的", "碳基生物", "值班人员",
    "值班人員", "人工专员", "人工專員",
    "人工窗口", "人工柜台", "人工櫃檯", "人工櫃台", "人工通道", "人工客服员", "人工客服員", "人肉客服", "真客服", "真人坐席",
    "真人座席", "真人接待", "人工接待",
];

/// Helpers whose name is also how people address the bot ("客服，我想问一下…").
#[rustfmt::skip]
const ADDRESSED: &[&str] = &[
    "客服", "客服小姐姐", "客服小哥哥", "客服姐姐", "客服小哥", "客服哥哥", "客服妹妹", "客服美女",
    "客服mm", "客服gg", "客服大大", "客服亲", "客服親", "kefu", "客fu", "在线客服", "在線客服",
    "kf", "客服君", "客服宝宝", "小客服",
];

/// Roles and departments: asked for only through a verb and with the request going on after.
#[rustfmt::skip]
const ROLES: &[&str] = &[
    "经理", "經理", "主管", "店长", "店長", "负责人", "負責人", "领导", "領導", "老板", "老闆",
    "工程师", "工程師", "技术员", "技術員", "技术支持", "技術支持", "技術支援", "专员", "專員",
    "专席", "專席", "专人", "專人", "同事", "管理员", "管理員", "管事的", "gm", "医生", "醫生",
    "大夫", "人员", "人員", "部门", "部門", "投诉专席", "投訴專席", "投诉部门", "投訴部門", "老师",
    "老師", "班主任", "辅导员", "輔導員", "导师", "導師", "助教", "教练", "教練", "顾问", "顧問",
    "师傅", "師傅", "技师", "技師", "维修工", "修理工", "管家", "房东", "房東", "中介", "经纪人",
    "經紀人", "代理人", "业务员", "業務員", "店员", "店員", "职员", "職員", "员工", "員工",
    "服务员", "服務員", "柜员", "櫃員", "收银员", "收銀員", "快递员", "快遞員", "快递小哥",
    "快遞小哥", "派件员", "派件員", "配送员", "配送員", "送货员", "送貨員", "骑手", "騎手", "司机",
    "司機", "站长", "站長", "主编", "主編", "责编", "責編", "编辑", "編輯", "律师", "律師", "会计",
    "會計", "护士", "護士", "药剂师", "藥劑師", "理赔员", "理賠員", "定损员", "定損員", "查勘员",
    "查勘員", "保安", "值班经理", "值班經理", "值班员", "值班員", "小二", "掌柜", "掌櫃", "总监",
    "總監", "主任", "组长", "組長", "上级", "上級", "上司", "高层", "高層", "专家", "專家",
    "对接人", "對接人", "销售", "銷售", "调度", "調度", "售后", "售後", "售后部", "售後部",
    "客服部", "客服中心", "投诉部", "投訴部", "技术部", "技術部", "财务", "財務", "财务部",
    "財務部", "教务", "教務", "教务处", "教務處", "物业", "物業", "前台", "网点", "網點", "站点",
    "站點", "人事", "人事部", "法务", "法務", "法务部", "法務部", "理赔部", "理賠部", "销售部",
    "銷售部", "总部", "總部", "管理处", "管理處", "营业厅", "營業廳", "门店", "門店", "秘书",
    "秘書", "助理", "接待处", "接待處", "服务台", "服務台", "总台", "總台",
    "售后部门", "售後部門", "客服部门", "客服部門", "技术部门", "技術部門", "财务部门", "財務部門",
    "所长", "所長", "科长", "科長", "处长", "處長", "局长", "局長", "部长", "部長", "院长", "院長",
    "厂长", "廠長", "行长", "行長", "校长", "校長", "队长", "隊長", "社长", "社長", "村长", "村長",
    "同志", "经办人", "經辦人", "承办人", "承辦人", "承办人员", "承辦人員", "办事员", "辦事員",
    "客户经理", "客戶經理", "客户代表", "客戶代表", "网格员", "網格員", "社工", "专管员", "專管員",
    "信贷员", "信貸員", "审批人", "審批人", "调解员", "調解員", "楼管", "樓管", "片警", "客服经理",
    "客服經理", "客服主管", "值班长", "值班長", "班长", "班長",
    "药师", "藥師",
    "接待员", "接待員", "营业员", "營業員", "审核员", "審核員", "核保员", "核保員", "跟单员",
    "跟單員", "调度员", "調度員", "安装工", "安裝工", "维修员", "維修員", "导购", "導購",
];

/// Misspellings of 人工 (same sound, or typed in pinyin).
#[rustfmt::skip]
const TYPOS: &[&str] = &[
    "人公", "人共", "仁工", "人攻", "人宫", "ren工", "人gong", "rengong", "ren gong",
];

/// Common surnames: with a title after ("王经理", "刘总") or 小/老 before ("小张", "老王") they
/// name a person. Characters that are also frequent words after 小/老 (于, 时, 白 …) are left out.
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧肖\
    田董袁潘蒋蔡杜叶程苏魏吕丁沈姚卢姜崔钟谭陆汪范廖贾夏韦付邹孟熊秦邱尹薛闫雷侯陶黎贺顾\
    郝龚邵钱严覃武戴莫孔汤張劉陳楊黃趙吳孫馬鄭羅謝許韓馮鄧蕭葉蘇呂盧鍾譚陸錢顧龔湯賈";

/// Titles after a surname.
#[rustfmt::skip]
const TITLES: &[&str] = &[
    "经理", "經理", "总", "總", "主管", "主任", "老师", "老師", "医生", "醫生", "工", "姐", "哥",
    "小姐", "先生", "女士", "师傅", "師傅", "编辑", "編輯", "顾问", "顧問", "律师", "律師", "会计",
    "會計", "教练", "教練", "专员", "專員", "店长", "店長", "老板", "老闆", "主编", "主編", "站长",
    "站長", "工程师", "工程師", "护士", "護士", "总监", "總監", "助理", "秘书", "秘書", "部长",
    "部長", "科长", "科長", "处长", "處長", "院长", "院長", "阿姨", "叔", "管家", "组长", "組長",
    "所长", "所長", "局长", "局長", "厂长", "廠長", "行长", "行長", "校长", "校長", "队长", "隊長",
    "同志", "医师", "醫師", "技师", "技師", "大夫", "班长", "班長",
];

/// After these the noun is something else: 人工智能 (AI), 人工晶体 (an implant), 真人秀 (a
/// show), 真人图 (photos of a product on a person), 客服电话 (the phone number, asked about).
#[rustfmt::skip]
const NOT_AFTER: &[&str] = &[
    "智能", "费", "費", "成本", "工资", "工資", "电话", "電話", "邮箱", "郵箱", "热线", "熱線",
    "号码", "號碼", "工号", "工號", "微信", "qq", "地址", "工作时间", "工作時間", "时间", "時間",
    "态度", "態度", "系统", "系統", "机器人", "機器人", "晶体", "晶體", "关节", "關節", "耳蜗",
    "耳蝸", "心脏", "心臟", "瓣膜", "骨", "牙", "湖", "岛", "島", "草", "降雨", "授精", "流产",
    "流產", "呼吸", "合成", "材料", "林", "河", "器官", "繁殖", "养殖", "養殖", "作", "录入",
    "錄入", "缝制", "縫製", "制作", "製作", "秀", "版", "电影", "電影", "游戏", "遊戲", "cs", "图",
    "圖", "照", "实拍", "實拍", "试穿", "試穿", "上身", "演示", "发音", "發音", "配音", "语音",
    "語音", "视频", "視頻", "模特", "尺寸", "效果", "对比", "對比", "号", "號", "审核", "審核",
    "安装", "安裝", "清洗", "搬运", "搬運", "操作", "计费", "計費", "联系方式", "聯繫方式",
];

/// Right after the noun, it is asked about rather than asked for ("转人工要收费吗").
#[rustfmt::skip]
const ASKED_ABOUT: &[&str] = &[
    "是", "要钱", "要錢", "收费", "收費", "免费", "免費", "多少钱", "多少錢", "花钱", "花錢",
    "扣费", "扣費", "怎么收", "怎麼收", "要收费", "要收費", "会收费", "會收費", "收不收", "需要钱",
    "需要錢", "付费", "付費", "要付费", "要付費", "花费", "花費", "贵不贵", "貴不貴",
];

/// Verbs that ask for the noun right after them (through `GAPS` and a modifier).
#[rustfmt::skip]
const MARKERS: &[&str] = &[
    "转接到", "转接给", "转接至", "转接", "转到", "转至", "转给", "转回", "转交给", "转交", "转",
    "轉接", "轉到", "轉給", "轉交", "轉", "移交", "交给", "交給", "接入", "接通", "接", "连线",
    "連線", "找", "找到", "需要", "要", "想要", "联系", "聯繫", "联络", "聯絡", "呼叫", "召唤",
    "召喚", "叫", "喊", "请", "請", "换", "換", "切换", "切換", "让", "讓", "给我", "給我",
    "有没有", "有沒有", "有", "求", "咨询", "諮詢", "可以", "安排", "派", "升级到", "升级给",
    "升级至", "升級到", "升級給", "申请", "申請", "来个", "來個", "来一个", "來一個", "来一位",
    "來一位", "来位", "來位", "换成", "換成", "切换成", "切換成", "转成", "轉成", "改成", "转去",
    "轉去", "转过去", "轉過去", "接到", "连接", "連接", "连到", "連到", "接给", "接給", "搵", "揾",
    "轉駁", "转驳", "駁", "驳", "畀我", "俾我", "要求", "请求", "請求", "联系上", "聯繫上", "要见",
    "想见", "求见", "要見", "想見", "求見", "报给", "報給", "上报给", "上報給", "反映给", "反映給",
    "提交给", "提交給", "递交给", "遞交給", "传给", "傳給", "非得", "必须", "必須", "一定要",
    "非要", "得要", "有冇", "约", "約", "预约", "預約", "来名", "來名", "来一名", "來一名", "喊个",
    "喊個", "改由", "由", "换由", "換由", "给我整", "給我整", "整一个", "整一個", "转派给",
    "轉派給", "派给", "派給", "分配给", "分配給", "指派", "转线", "轉線", "切到", "切给", "切給",
    "跳转", "跳轉", "跳转到", "跳轉到", "求助", "求助于", "求助於", "唤", "喚", "唤出", "喚出",
    "走", "麻烦", "麻煩", "escalate给", "escalate到",
];

/// Markers that ask only for a helper, not for a role ("申请售后" is a return, not a person).
const HELPER_ONLY_MARKERS: &[&str] = &["申请", "申請", "可以"];

/// Verbs that ask for 人 alone ("找个人", "换个人", "有没有人能").
#[rustfmt::skip]
const PERSON_MARKERS: &[&str] = &[
    "找", "找到", "叫", "喊", "换", "換", "派", "安排", "要", "需要", "想要", "有没有", "有沒有",
    "有", "让", "讓", "转", "轉", "转给", "轉給", "转接", "轉接", "给我", "給我", "请", "請",
    "呼叫", "求", "来个", "來個", "来一个", "來一個", "来位", "來位", "来一位", "來一位", "摇",
    "搖", "搵", "揾", "交给", "交給", "转交给", "轉交給", "有冇", "畀我", "俾我", "要求", "请求",
    "請求", "转到", "轉到",
];

/// Verbs that reach a named person ("找王经理", "让小李跟我说").
#[rustfmt::skip]
const NAME_MARKERS: &[&str] = &[
    "找", "找到", "叫", "喊", "请", "請", "让", "讓", "联系", "聯繫", "联络", "聯絡", "转给",
    "轉給", "转接", "轉接", "转到", "轉到", "接通", "换", "換", "呼叫", "搵", "揾", "转交给",
    "轉交給", "交给", "交給", "要见", "想见", "求见", "要見", "想見", "求見", "报给", "報給",
    "上报给", "上報給", "反映给", "反映給",
];

/// Verbs of having and needing: what follows the noun must carry the request on.
#[rustfmt::skip]
const NEEDS: &[&str] = &[
    "有", "有没有", "有沒有", "需要", "要", "想要", "可以", "求", "给我", "給我", "申请", "申請",
    "非得", "必须", "必須", "一定要", "非要", "得要", "要求", "请求", "請求", "畀我", "俾我",
    "有冇",
];

/// Verbs that reach 人 only with a measure word: "找个人" asks, "找人帮忙太麻烦" does not.
#[rustfmt::skip]
const PERSON_MEASURED: &[&str] = &["找", "找到", "让", "讓", "请", "請"];

/// Greetings after an addressed noun: "客服你好" greets the bot.
#[rustfmt::skip]
const GREETINGS: &[&str] = &["你好", "您好", "hello", "hi", "早上好", "晚上好", "下午好"];

/// Roles whose presence is asked about for other reasons ("医生在吗" at a clinic).
#[rustfmt::skip]
const NOT_PRESENT: &[&str] = &["医生", "醫生", "大夫", "人员", "人員", "部门", "部門"];

/// Desires: "要人工了" still asks, "转人工了" reports.
#[rustfmt::skip]
const DESIRES: &[&str] = &[
    "要", "需要", "想要", "求", "给我", "給我", "要求", "请求", "請求", "一定要", "非要", "非得",
    "畀我", "俾我",
];

/// "with": a request only when a talking verb follows the noun ("跟客服聊").
#[rustfmt::skip]
const COMPANIONS: &[&str] = &["跟", "和", "与", "與", "同"];
#[rustfmt::skip]
const TALK: &[&str] = &[
    "说话", "說話", "说", "說", "聊", "谈", "談", "沟通", "溝通", "通话", "通話", "对话", "對話",
    "讲", "講", "交流", "联系", "聯繫", "反映", "反馈", "反饋", "商量", "确认", "確認", "核实",
    "核實", "解释", "解釋", "对接", "對接", "通电话", "通電話", "打电话", "打電話", "讲话", "講話",
    "傾", "倾", "讲嘢", "講嘢", "见面", "見面", "面谈", "面談", "视频", "視頻", "通个话", "通個話",
    "通个电话", "通個電話",
];

/// Adverbs between the noun and a talking verb ("跟技术支持直接聊").
#[rustfmt::skip]
const ADVERBS: &[&str] = &[
    "直接", "单独", "單獨", "当面", "當面", "亲自", "親自", "好好", "再", "详细", "詳細", "具体",
    "具體", "一起", "马上", "馬上", "赶紧", "趕緊", "快", "现在", "現在", "来", "來", "本人",
    "真正", "真的", "亲口", "親口", "尽快", "盡快", "立刻", "立即", "今天", "现场", "現場",
    "一对一", "一對一",
];

/// After a role, person or name: what carries the request on ("…来", "…帮我看看", "…聊一下").
#[rustfmt::skip]
const FOLLOW: &[&str] = &[
    "来", "來", "过来", "過來", "出来", "出來", "进来", "進來", "帮", "幫", "处理", "處理", "跟",
    "和", "与", "與", "同", "给我", "給我", "聊", "谈", "談", "说一下", "說一下", "说说", "說說",
    "说清楚", "說清楚", "讲一下", "講一下", "沟通", "溝通", "交流", "对话", "對話", "通话", "通話",
    "联系", "聯繫", "联络", "聯絡", "看", "查", "核实", "核實", "回复", "回覆", "回电", "回電",
    "介入", "跟进", "跟進", "对接", "對接", "接手", "解决", "解決", "在", "协助", "協助", "负责",
    "負責", "出面", "打电话", "打電話", "确认", "確認", "解释", "解釋", "答复", "答覆", "问", "問",
    "咨询", "諮詢", "回答", "解答", "答疑", "指导", "指導", "接待", "办理", "辦理", "接听", "接聽",
    "上线", "上線", "服务", "服務", "说两句", "說兩句", "说几句", "說幾句", "说句话", "說句話",
    "说话", "說話", "讲话", "講話", "讲两句", "講兩句", "覆", "回我", "回个", "回個", "联系我",
    "聯繫我", "打给我", "打給我", "傾", "倾", "讲嘢", "講嘢", "喺", "那边", "那邊", "那里", "那裡",
    "那儿", "那兒", "管", "做主", "拍板", "出马", "出馬", "接电话", "接電話", "接一下", "见我",
    "見我",
];

/// After 人: fewer words, and 在 only after 有 ("有人在吗", but "需要人在家吗").
#[rustfmt::skip]
const PERSON_FOLLOW: &[&str] = &[
    "来", "來", "过来", "過來", "出来", "出來", "帮", "幫", "处理", "處理", "跟我", "和我", "给我",
    "給我", "聊", "沟通", "溝通", "看看", "看一下", "查", "核实", "核實", "回复", "回覆", "介入",
    "跟进", "跟進", "对接", "對接", "接手", "解决", "解決", "协助", "協助", "管", "理我", "理一下",
    "搭理", "答理", "应一下", "應一下", "回我", "回一下", "覆我", "上班", "值班", "在岗", "在崗",
    "负责", "負責", "出面", "说话", "說話", "讲话", "講話", "谈", "談", "接听", "接聽", "联系",
    "聯繫", "联络", "聯絡", "回电", "回電", "打电话", "打電話", "打给我", "打給我",
    "问问", "問問", "问一下", "問一下", "咨询", "諮詢", "说说", "說說", "说一下", "說一下",
    "说几句", "說幾句", "讲讲", "講講", "讲一下", "講一下", "解释", "解釋", "答复", "答覆",
    "回答", "解答",
];

/// Before 有 + 人: only these, so "有没有人在线" asks but "家里有人在" does not.
#[rustfmt::skip]
const EXIST_PREFIX: &[&str] = &[
    "请问", "請問", "还", "還", "现在", "現在", "你们", "你們", "这边", "這邊", "那边", "那邊",
    "到底", "究竟", "真的", "这里", "這裡", "在线", "在線", "是否", "你好", "您好", "喂", "亲",
    "親", "有没有", "店里", "店裡", "公司", "后台", "後台", "那头", "那頭", "对面", "對面", "线上",
    "線上", "网上", "網上", "你哋", "你地", "就", "难道", "難道", "都", "有冇", "到底还",
    "请问一下", "喂喂", "在吗", "在嗎",
];

/// Measure words and softeners allowed between the verb and the noun ("找个真人", "转一下人工").
#[rustfmt::skip]
const GAPS: &[&str] = &[
    "一个", "一個", "个", "個", "一位", "位", "一名", "名", "一下", "下", "真正的", "真的", "的",
    "我", "你们", "你們", "您的", "在线", "在線", "线上", "線上", "专业", "專業", "专属", "專屬",
    "专门", "專門", "活的", "真正", "直接", "嘅", "你哋", "你地", "贵公司的", "貴公司的", "啲",
];

/// Inside a modifier between the verb and the noun, these mean the verb is not asking for it
/// ("我要投诉客服", "找那个说过的人").
#[rustfmt::skip]
const MOD_STOP: &[&str] = &[
    "我", "是", "不", "没", "沒", "过", "過", "了", "把", "被", "投诉", "投訴", "举报", "舉報",
    "骂", "罵", "评价", "評價", "表扬", "表揚", "感谢", "感謝", "谢", "謝", "取消", "关闭", "關閉",
    "说", "說", "打", "给", "給", "跟", "和", "与", "與", "吗", "嗎", "呢", "吧", "啊", "他", "她",
    "自称", "自稱", "冒充", "假", "骗", "騙", "去", "见", "見", "当", "當", "做", "成为", "成為",
    "考", "应聘", "應聘", "招", "变成", "變成",
];

/// The writer's own people: "跟我同事说" is not a request.
#[rustfmt::skip]
const POSSESSIVES: &[&str] = &["我", "我的", "我们", "我們", "我们的", "我們的", "自己", "自己的"];

/// Words that may surround a bare noun in a standalone request.
#[rustfmt::skip]
const POLITE: &[&str] = &[
    "谢谢", "謝謝", "谢啦", "麻烦", "麻煩", "一下", "马上", "馬上", "立刻", "在吗", "在嗎",
    "在不在", "在线吗", "在線嗎", "在哪里", "在哪裡", "在哪儿", "在哪", "在", "请", "請", "吧",
    "啊", "呀", "吗", "嗎", "呢", "呗", "唄", "哦", "喔", "啦", "嘛", "么", "麼", "哈", "呐",
    "快点", "快點", "快", "点", "點", "的", "了", "您", "亲", "親", "拜托", "拜託", "求求",
    "求你了", "求你", "赶紧", "趕緊", "速度", "好吗", "好嗎", "行吗", "行嗎", "可以吗", "可以嗎",
    "出来", "出來", "过来", "過來", "来", "來", "急", "你好", "您好", "请问", "請問", "喂", "hello",
    "hi", "你们", "你們", "现在", "現在", "唔该", "唔該", "麻烦你", "麻煩你", "多谢", "多謝",
    "感谢", "感謝", "thx", "3q", "辛苦了", "辛苦", "劳驾", "勞駕", "拜托了", "拜託了", "好不好",
    "行不行", "可不可以", "咯", "嘞", "哇", "噢", "哟", "喲", "咩", "吖", "囉", "喇", "嗯", "pls",
    "plz", "please", "在线等", "在線等", "在么", "在嘛", "在不", "喺度", "喺唔喺度",
];

/// After an addressed noun (客服), these make it a call rather than a form of address.
#[rustfmt::skip]
const PRESENCE: &[&str] = &[
    "在", "呢", "出来", "出來", "过来", "過來", "来", "來", "喺", "在不", "在么", "在嘛",
];

/// A negation just before a request verb; `NEG_PASS` words may stand between ("不用帮我转").
#[rustfmt::skip]
const NEG_SCOPE: &[&str] = &[
    "不", "没", "沒", "别", "別", "甭", "勿", "不用", "不想", "不要", "不需要", "不想要", "不必要",
    "不准备", "不準備", "不愿意", "不願意", "无需", "無需", "不必", "没必要", "沒必要", "用不着",
    "用不著", "不需", "不愿", "不願", "不再", "不会", "不會", "不打算", "懒得", "懶得", "免",
    "唔使", "唔駛", "唔洗", "唔想", "唔好", "唔要", "唔需要", "冇必要", "毋须", "毋須", "无须",
    "無須",
];
#[rustfmt::skip]
const NEG_PASS: &[&str] = &[
    "帮我", "幫我", "给我", "給我", "替我", "帮", "幫", "再", "去", "直接", "马上", "馬上", "一直",
    "总是", "總是", "老是", "用", "想", "我", "你", "您", "们", "們",
];

/// Negations anywhere in a message, for the semantic layer.
#[rustfmt::skip]
const NEGATORS: &[&str] = &[
    "不要", "不用", "不需要", "不想", "别", "別", "没必要", "沒必要", "无需", "無需", "不必",
    "用不着", "用不著", "不找", "不转", "不轉", "唔使", "唔駛", "唔想", "唔要", "唔需要", "冇必要",
];

/// Right after the noun, a retraction ("人工就不用了").
#[rustfmt::skip]
const RETRACTIONS: &[&str] = &[
    "不用", "不要", "不需要", "不必", "算了", "免了", "就不用", "就不要", "就算了", "也不用",
    "也不要", "不了",
];

/// Conditions, past times and reports: anywhere in the clause they cancel a request.
#[rustfmt::skip]
const HYPOTHETICAL: &[&str] = &[
    "如果", "要是", "假如", "假设", "假設", "假使", "倘若", "若是", "万一", "萬一", "一旦", "的话",
    "的話", "的时候", "的時候", "昨天", "昨晚", "前天", "之前", "刚才", "剛才", "刚刚", "剛剛",
    "上次", "上回", "上周", "上週", "上个月", "上個月", "前两天", "前兩天", "前几天", "前幾天",
    "去年", "当时", "當時", "那时", "那時", "曾经", "曾經", "本来", "本來", "原本", "以前", "以后",
    "以後", "一会儿再", "一會兒再", "等会再", "等會再", "等一下再", "待会再", "待會再", "回头再",
    "回頭再", "晚点再", "晚點再", "稍后再", "稍後再", "改天", "明天再", "上礼拜", "上禮拜",
    "上星期", "寻日", "尋日", "琴日", "早前", "那天", "那次", "有一次", "后来", "後來", "假若",
    "如若", "下次", "下回", "将来", "將來",
];

/// Words that hold a past time without meaning it (马上 + 回 is not 上回).
#[rustfmt::skip]
const NOT_TIMES: &[&str] = &[
    "马上", "馬上", "晚上", "早上", "线上", "線上", "网上", "網上", "楼上", "樓上", "路上", "往上",
];

/// Conditional politeness that is still a request ("可以的话帮我转人工").
#[rustfmt::skip]
const HYPOTHETICAL_EXCEPTIONS: &[&str] = &[
    "如果可以的话", "如果方便的话", "如果可能的话", "要是可以的话", "可以的话", "方便的话",
    "可能的话", "行的话", "如果可以", "如果方便", "如果可能",
];

/// Questions about who is answering ("你是真人吗", "是不是人工").
#[rustfmt::skip]
const IDENTITY: &[&str] = &[
    "你是", "您是", "你们是", "你們是", "对面是", "對面是", "还是机器人", "還是機器人",
    "机器人还是", "機器人還是", "是机器人", "是機器人", "是人吗", "是人嗎", "是人还是", "是人還是",
    "真人还是", "真人還是", "人工还是", "人工還是", "是ai", "ai还是", "还是ai", "是自动回复",
    "是自動回覆", "跟机器人在聊", "在跟机器人", "在和机器人", "是不是真", "是不是人", "是不是机",
    "是不是機", "是不是ai", "是不是自动", "是不是自動", "是不是客服", "是不是在跟", "是不是在和",
    "是不是程序", "係咪", "係唔係", "你係", "係人", "係真人",
];

/// Words for the bot that a refusal can name.
#[rustfmt::skip]
const BOTS: &[&str] = &[
    "机器人客服", "機器人客服", "机器人", "機器人", "机器客服", "機器客服", "智能客服", "自动回复",
    "自動回覆", "自動回復", "自动客服", "自動客服", "自动应答", "自動應答", "智能助手", "ai客服",
    "人工智能", "ai", "bot", "套话", "套話", "模板回复", "模板回覆", "機械人", "机械人",
    "聊天机器人", "聊天機器人", "人机", "人機", "小助手", "智能助理", "客服机器人", "客服機器人",
    "ai助手", "chatbot", "机器回复", "機器回覆",
];

/// Bot words that are refused only with a talking verb after ("不想跟程序对话").
#[rustfmt::skip]
const WEAK_BOTS: &[&str] = &["程序", "机器", "機器", "电脑", "電腦", "系统", "系統"];

/// Before a bot word: refusing it ("不要机器人", "不想再跟机器人谈").
#[rustfmt::skip]
const REFUSE_BEFORE: &[&str] = &[
    "不要", "不想", "不用", "别", "別", "不需要", "不想要", "不愿", "不願", "受够了", "受夠了",
    "受够", "受夠", "不跟", "不和", "拒绝", "拒絕", "讨厌", "討厭", "烦死", "煩死", "不想再",
    "受不了", "不愿再", "不願再", "唔想", "唔要", "唔好", "懒得跟", "懶得跟", "懒得", "懶得",
    "够了", "夠了", "不稀罕", "信不过", "信不過",
];

/// Between a refusal and the bot word ("不想*跟*机器人", "别*再让*机器人").
#[rustfmt::skip]
const REFUSE_PASS: &[&str] = &[
    "再跟", "再和", "再让", "再讓", "再用", "跟", "和", "与", "與", "同", "再", "让", "讓", "用",
    "听", "聽", "理", "要", "了", "你们的", "你們的", "你们", "你們", "这个", "這個", "那个",
    "那個", "这些", "這些", "什么", "什麼", "破", "这破", "這破", "你这个", "你這個", "你这",
    "你這", "再同", "你哋", "你哋嘅", "呢个", "呢個", "这种", "這種", "一个", "一個", "只会",
    "只會",
];

/// After a refused bot word: what keeps it a refusal ("不要机器人", "…聊了", "…我要人工").
#[rustfmt::skip]
const REFUSE_AFTER: &[&str] = &[
    "了", "回", "答", "聊", "说", "說", "讲", "講", "谈", "談", "对话", "對話", "沟通", "溝通",
    "交流", "打交道", "服务", "服務", "接待", "处理", "處理", "我", "给", "給", "跟", "和", "浪费",
    "浪費", "糊弄", "敷衍", "应付", "應付", "瞎", "在", "转", "轉", "要", "换", "換", "吧", "啊",
    "呀", "的回复", "的回覆", "的回答",
];

/// After a bot word that opens the clause: a refusal of it ("机器人闭嘴", "机器人没用").
#[rustfmt::skip]
const REFUSALS: &[&str] = &[
    "没用", "沒用", "没有用", "沒有用", "别回", "別回", "别说了", "別說了", "别再", "別再", "闭嘴",
    "閉嘴", "走开", "走開", "滚", "滾", "听不懂", "聽不懂", "帮不了", "幫不了", "帮不上", "幫不上",
    "解决不了", "解決不了", "搞不定", "回答不了", "答不上", "不管用", "有什么用", "有什麼用",
    "有啥用", "太笨", "太蠢", "好笨", "好蠢", "真笨", "真蠢", "智障", "垃圾", "废物", "廢物",
    "不行", "一点用", "一點用", "笨", "蠢", "傻", "弱智", "讲不通", "講不通", "说不通", "說不通",
    "沟通不了", "溝通不了", "聊不明白", "答非所问", "答非所問", "牛头不对马嘴", "牛頭不對馬嘴",
    "听不明白", "聽不明白", "看不懂", "理解不了", "不懂", "歇会儿", "歇會兒", "歇歇", "歇着",
    "歇著", "一边去", "一邊去", "靠边", "靠邊", "退下", "让开", "讓開", "别烦", "別煩", "没救",
    "沒救", "不靠谱", "不靠譜", "靠不住", "不好使", "白搭", "鸡同鸭讲", "雞同鴨講", "绕圈子",
    "繞圈子", "装傻", "裝傻", "唔明", "唔識", "冇用",
];

/// Before a bot word that opens the clause ("你这个机器人没用").
#[rustfmt::skip]
const BOT_OPENERS: &[&str] = &[
    "你这个", "你這個", "你们这个", "你們這個", "你们的", "你們的", "这个", "這個", "你这", "你這",
    "这破", "這破", "破", "你", "这", "這", "跟", "和", "同", "与", "與", "光靠", "只靠", "单靠",
    "單靠", "靠", "光是", "呢个", "呢個", "你哋嘅", "喂", "哎",
];

/// Between a bot word and its refusal ("机器人*真的*没用").
#[rustfmt::skip]
const INTENSIFIERS: &[&str] = &[
    "真的", "根本", "完全", "就是", "简直", "簡直", "一点都", "一點都", "真", "太", "都", "也",
    "根本就", "压根", "壓根", "压根就", "实在", "實在", "完全就", "一点也", "一點也", "还是",
    "還是", "总是", "總是", "老是", "一直", "就", "又", "真係", "什么都", "什麼都", "啥都", "啥也", "什么也", "什麼也", "根本都",
];

/// A transfer standing alone ("帮我转接一下", "那就转过去"): the verb, and what may
/// surround it.
#[rustfmt::skip]
const TRANSFER_PRE: &[&str] = &[
    "那就", "那你", "那", "就", "可以", "好的", "好", "行", "嗯", "帮我", "幫我", "给我", "給我",
    "麻烦", "麻煩", "请", "請", "直接", "赶紧", "趕緊", "快点", "快點", "快", "马上", "馬上", "您",
    "你", "现在", "現在", "能不能", "能否", "可不可以", "还是", "還是", "亲", "親", "唔该", "唔該",
    "同我", "畀我", "求你", "求求你", "可否", "我要", "我想", "想", "要", "能",
];
#[rustfmt::skip]
const TRANSFER_POST: &[&str] = &[
    "一下", "过去", "過去", "吧", "啊", "呗", "唄", "呀", "吗", "嗎", "谢谢", "謝謝", "快点",
    "快點", "快", "好吗", "好嗎", "可以吗", "可以嗎", "行吗", "行嗎", "唔该", "唔該", "啦", "嘛",
    "一下吧", "下", "快啲", "给他", "给她", "給他", "給她",
];

/// Roles that are also verbs, services or professions offered (编辑 "to edit", 售后 "after-sales
/// service", "有律师吗"): a verb of having or needing asks for them only with more after
/// ("有师傅在线吗", not "我要售后"), and never when a verb ending follows ("编辑一下").
#[rustfmt::skip]
const NOT_NEEDED: &[&str] = &[
    "编辑", "編輯", "销售", "銷售", "调度", "調度", "售后", "售後", "人事", "财务", "財務", "物业",
    "物業", "前台", "律师", "律師", "会计", "會計", "护士", "護士", "司机", "司機", "保安", "专家",
    "專家", "药剂师", "藥劑師", "教练", "教練", "助教", "导师", "導師", "助理", "秘书", "秘書",
    "网点", "網點", "门店", "門店", "营业厅", "營業廳", "总部", "總部", "法务", "法務", "小二",
];
#[rustfmt::skip]
const VERB_ENDINGS: &[&str] = &["一下", "下", "了", "过", "過", "好", "完", "的", "成"];

/// Before a verb, asking how to reach a role rather than asking for them.
#[rustfmt::skip]
const HOW: &[&str] = &[
    "如何", "怎么", "怎麼", "怎样", "怎樣", "怎么样", "怎麼樣", "咋", "怎么才能", "怎麼才能",
    "哪里可以", "哪裡可以", "在哪里", "在哪裡", "去哪", "点样", "點樣", "怎么去", "怎麼去",
];

/// Roles the company assigns to the customer: "我的顾问" is still theirs to ask for.
#[rustfmt::skip]
const ASSIGNED: &[&str] = &[
    "管家", "顾问", "顧問", "经纪人", "經紀人", "代理人", "中介", "房东", "房東", "班主任", "老师",
    "老師", "导师", "導師", "辅导员", "輔導員", "教练", "教練", "专员", "專員", "对接人", "對接人",
];

/// In a modifier, what makes it someone able to help ("能做主的人", "负责我这单的经理").
#[rustfmt::skip]
const ABLE: &[&str] = &[
    "能够", "能夠", "能", "会", "會", "懂", "负责", "負責", "管", "有权", "有權", "可以", "说了算",
    "說了算", "拍板", "做主", "做得了主", "熟悉", "了解", "明白", "处理", "處理", "靠谱", "靠譜",
    "专业", "專業", "懂行", "内行", "內行", "有经验", "有經驗", "权限", "權限", "跟进", "跟進",
    "对接", "對接",
];
/// Words that still stop a modifier of ability ("被投诉过的人", "自称能退款的人").
#[rustfmt::skip]
const ABLE_STOP: &[&str] = &[
    "是", "不", "没", "沒", "过", "過", "了", "被", "投诉", "投訴", "举报", "舉報", "骂", "罵",
    "自称", "自稱", "冒充", "假", "骗", "騙", "他", "她",
];
/// Endings of an organisation in a modifier before 人 ("财务部的人", "你们公司的人").
#[rustfmt::skip]
const ORGS: &[&str] = &[
    "部", "部门", "部門", "处", "處", "组", "組", "科", "室", "中心", "公司", "那边", "那邊",
    "团队", "團隊", "官方", "店", "店里", "店裡", "后台", "後台", "平台", "所", "局", "站", "厅", "廳", "银行",
    "銀行", "医院", "醫院", "学校", "學校", "商家", "店家", "厂家", "廠家", "官方的", "门店", "門店",
];
/// Before a modifier of an organisation: "你们" and its kin.
#[rustfmt::skip]
const YOURS: &[&str] = &["你们", "你們", "你哋", "你地", "贵公司", "貴公司", "贵司", "貴司"];

/// Before 有 + 人, a modal makes it a demand ("总得有人处理一下"); not in a question.
#[rustfmt::skip]
const MODALS: &[&str] = &[
    "必须", "必須", "需要", "总得", "總得", "非得", "一定要", "得要", "应该", "應該", "起码",
    "起碼", "希望", "盼",
];
/// After 有 + 人 + 在: on duty ("有人在值班吗").
#[rustfmt::skip]
const ON_DUTY: &[&str] = &["值班", "上班", "岗", "崗", "线", "線", "的", "度"];

/// Absence of a helper, complained of or asked about ("连一个活人都没有", "没有人工吗").
#[rustfmt::skip]
const NONE_OF: &[&str] = &["连一个", "連一個", "连个", "連個", "一个", "一個", "连", "連"];
#[rustfmt::skip]
const ABSENT: &[&str] = &[
    "都没有", "都沒有", "都没", "都沒", "也没有", "也沒有", "也没", "也沒", "都不在", "都冇",
];
#[rustfmt::skip]
const NOT_THERE: &[&str] = &["没有", "沒有", "没", "沒", "冇"];
#[rustfmt::skip]
const ABSENT_ASK: &[&str] = &[
    "吗", "嗎", "么", "麼", "呢", "了吗", "了嗎", "在吗", "在嗎", "在线吗", "在線嗎", "值班吗",
    "值班嗎", "上班吗", "上班嗎", "喺度咩", "咩",
];

/// A role alone as the whole message ("财务部！", "店长呢"): what may stand around it.
#[rustfmt::skip]
const ROLE_ALONE_PRE: &[&str] = &["你们", "你們", "喂", "请", "請", "麻烦", "麻煩", "贵公司", "快"];
#[rustfmt::skip]
const ROLE_ALONE_POST: &[&str] = &[
    "呢", "啊", "呀", "吧", "快", "快点", "快點", "在哪", "在哪里", "在哪裡", "在哪儿", "出来",
    "出來", "来", "來", "过来", "過來", "急", "啦", "在吗", "在嗎", "在不在", "在线吗", "在線嗎",
    "麻烦", "麻煩", "请", "請", "人呢",
];
/// How buyers greet a seller ("老板在吗，这个还有货吗"): not a call when the message goes on.
#[rustfmt::skip]
const SHOPKEEPERS: &[&str] = &["老板", "老闆", "掌柜", "掌櫃", "小二"];
/// Thanks before a helper: "谢谢你们的客服" thanks, it does not call.
#[rustfmt::skip]
const THANKS: &[&str] = &["谢谢", "謝謝", "感谢", "感謝", "多谢", "多謝", "谢啦", "辛苦"];

/// Roles that do not stand alone as a request.
#[rustfmt::skip]
const NOT_ALONE: &[&str] = &["同事", "专人", "專人", "人事", "gm", "人员", "人員", "部门", "部門"];

/// After a helper, a modal and a verb that reaches the writer: "经理能给我回个电话吗", "客服可以
/// 联系我吗". The modal must come right after the helper, so "经理说会给我回电话" reports.
#[rustfmt::skip]
const REACH_MODALS: &[&str] = &[
    "能不能", "可不可以", "能否", "可否", "可以", "能", "麻烦", "麻煩", "来", "來", "直接",
];
#[rustfmt::skip]
const REACH_ME: &[&str] = &[
    "给我回电话", "给我回个电话", "给我回一个电话", "给我打电话", "给我打个电话", "给我回电",
    "給我回電話", "給我回個電話", "給我打電話", "給我打個電話", "联系我", "聯繫我", "聯絡我",
    "跟我联系", "和我联系", "跟我聯繫", "和我聯繫", "回复我", "回覆我", "打给我", "打給我",
    "接手", "跟进一下", "跟進一下", "处理一下我的", "處理一下我的",
];

/// Before a presence question about a role or name: time words ("李经理现在在吗").
#[rustfmt::skip]
const NOW: &[&str] = &[
    "今天", "今日", "现在", "現在", "还", "還", "这会儿", "這會兒", "目前", "此刻", "而家", "宜家",
    "依家",
];
/// Presence questions after a role or name, and after a name only (being at work).
#[rustfmt::skip]
const PRESENT: &[&str] = &[
    "在吗", "在嗎", "在不在", "在线吗", "在線吗", "在線嗎", "在线不", "在線不", "在不", "在么",
    "在麼", "呢", "喺度嗎", "喺度嘛", "喺唔喺度",
];
/// "Where is …" after a role or name, with nothing after ("经理在哪", not "司机在哪里接我").
#[rustfmt::skip]
const WHERE: &[&str] = &[
    "在哪里", "在哪裡", "在哪儿", "在哪兒", "在哪", "去哪了", "哪去了", "喺边度", "喺邊度", "喺边",
    "喺邊",
];
#[rustfmt::skip]
const AT_WORK: &[&str] = &[
    "上班吗", "上班嗎", "上班没", "上班沒", "上班不", "值班吗", "值班嗎", "在岗吗", "在崗嗎",
    "有空吗", "有空嗎",
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Strong,
    Addressed,
    Role,
    Person,
    Named,
    Typo,
}

/// The matched phrase if `norm` (normalised text) asks for a human in Chinese.
pub(crate) fn detect(norm: &str) -> Option<String> {
    if asks_whether_needed(norm) {
        return None;
    }
    let clauses = clauses(norm);
    for (i, clause) in clauses.iter().enumerate() {
        if !clause.chars().any(is_cjk) {
            continue;
        }
        let more_follows = clauses[i + 1..].iter().any(|c| !only_polite(c));
        let alone = !more_follows && clauses[..i].iter().all(|c| only_polite(c));
        if let Some(phrase) = detect_in_clause(clause, more_follows, alone) {
            return Some(phrase);
        }
    }
    None
}

/// Words of necessity, and the "or" of a question offering another way.
const NECESSITY: &[&str] = &["需要", "需不需要", "要不要", "必须", "必須", "得"];
const OR_ELSE: &[&str] = &["还是", "還是"];

/// "托运需要找工作人员吗，还是网上就能办？": whether a person is needed, or another way will
/// do, asks how things are done, not for the person.
fn asks_whether_needed(norm: &str) -> bool {
    NECESSITY.iter().any(|w| norm.contains(w))
        && OR_ELSE.iter().any(|w| norm.contains(w))
        && ["吗", "嗎", "?"].iter().any(|w| norm.contains(w))
}

/// The clauses of `norm`: split at punctuation and at a space between two CJK characters,
/// other spaces removed ("转 ren工" stays one clause).
fn clauses(norm: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in norm.split(|c: char| !(c.is_alphanumeric() || c == ' ')) {
        let mut clause = String::new();
        let mut chars = raw.chars().peekable();
        while let Some(c) = chars.next() {
            if c != ' ' {
                clause.push(c);
                continue;
            }
            let prev_cjk = clause.chars().next_back().is_some_and(is_cjk);
            let next_cjk = chars.peek().is_some_and(|n| is_cjk(*n));
            if prev_cjk && next_cjk {
                out.push(std::mem::take(&mut clause));
            }
        }
        if !clause.is_empty() {
            out.push(clause);
        }
    }
    out
}

fn detect_in_clause(clause: &str, more_follows: bool, alone: bool) -> Option<String> {
    let mut clause = clause.to_string();
    for polite in HYPOTHETICAL_EXCEPTIONS {
        clause = clause.replace(polite, "");
    }
    let clause = clause.as_str();
    // "马上回电" holds 上回 ("last time") without meaning it.
    let mut plain = clause.to_string();
    for w in NOT_TIMES {
        plain = plain.replace(w, "");
    }
    if HYPOTHETICAL.iter().chain(IDENTITY).any(|w| plain.contains(w)) {
        return None;
    }
    if let Some(phrase) = refusal(clause).or_else(|| lone_transfer(clause)).or_else(|| absence(clause)) {
        return Some(phrase.to_string());
    }
    for (p, _) in clause.char_indices() {
        let Some((len, kind)) = noun_at(&clause[p..]) else {
            continue;
        };
        let end = p + len;
        // "kf" and "gm" are words only between non-Latin characters ("kfc" is not 客服).
        let ascii = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        let noun = &clause[p..end];
        if noun.starts_with(|c: char| c.is_ascii_alphabetic()) && ascii(clause[..p].chars().next_back())
            || noun.ends_with(|c: char| c.is_ascii_alphabetic()) && ascii(clause[end..].chars().next())
        {
            continue;
        }
        if let Some(phrase) = request_for(clause, p, end, kind, more_follows, alone) {
            return Some(phrase.to_string());
        }
    }
    None
}

/// The request for the noun at `clause[p..end]`, if something asks for it.
fn request_for(
    clause: &str,
    p: usize,
    end: usize,
    kind: Kind,
    more_follows: bool,
    alone: bool,
) -> Option<&str> {
    let before = &clause[..p];
    let after = &clause[end..];
    let noun = &clause[p..end];
    let after_de = after.strip_prefix('的').unwrap_or(after);
    if NOT_AFTER.iter().any(|w| after_de.starts_with(w)) || ASKED_ABOUT.iter().any(|w| after.starts_with(w)) {
        return None;
    }
    let after_adv = strip_prefixes(after, &["就", "也", "还", "還", "都"]);
    if RETRACTIONS.iter().any(|w| after_adv.starts_with(w)) {
        return None;
    }
    let weak = matches!(kind, Kind::Role | Kind::Person | Kind::Named);
    let talk_follows = TALK.iter().any(|t| strip_prefixes(after, ADVERBS).starts_with(t));
    let when = strip_prefixes(after, NOW);
    let asks = PRESENT.iter().any(|w| when.starts_with(w))
        || WHERE.iter().any(|w| when.starts_with(w) && only_polite(&when[w.len()..]))
        || kind == Kind::Named && AT_WORK.iter().any(|w| when.starts_with(w));
    let reaches = reaches_me(after);
    if weak && !follow_ok(after, kind) && !talk_follows && !asks && !reaches {
        return None;
    }
    if matches!(kind, Kind::Role | Kind::Named)
        && POSSESSIVES.iter().any(|w| before.ends_with(w))
        && !ASSIGNED.contains(&noun)
    {
        return None;
    }
    if let Some((start, marker)) = find_marker(before, kind, talk_follows) {
        if negated(&before[..start]) {
            return None;
        }
        let companion = COMPANIONS.contains(&marker);
        if companion && talk_past(after) {
            return None;
        }
        if after.starts_with('了') && !DESIRES.contains(&marker) && !companion {
            return None;
        }
        // "转人工转了半天" tells how long it took.
        let verb = marker.chars().next().map_or("", |c| &marker[..c.len_utf8()]);
        if !companion && after.starts_with(verb) && after[verb.len()..].starts_with(['了', '过', '過', '得'])
        {
            return None;
        }
        // "如何联系售后" asks how, not for them.
        if kind == Kind::Role && HOW.iter().any(|w| before[..start].ends_with(w)) {
            return None;
        }
        if kind == Kind::Role
            && NOT_NEEDED.contains(&noun)
            && (NEEDS.contains(&marker) && only_polite(after)
                || VERB_ENDINGS.iter().any(|w| after.starts_with(w)))
        {
            return None;
        }
        // "需要经理吗" asks whether one is needed.
        if kind == Kind::Role
            && matches!(marker, "要" | "需要" | "想要")
            && clause.ends_with(['吗', '嗎', '么', '麼'])
            && only_polite(after)
        {
            return None;
        }
        if weak && before[..start].contains('把') && !before[..start].contains("把我") {
            return None;
        }
        // After a verb of having or needing, what follows must carry the request on: "有人工吗",
        // "需要真人核对", but not "有人工安装吗" or "需要工作人员陪同吗".
        if NEEDS.contains(&marker) && !follow_ok(after, kind) {
            return None;
        }
        // "这也叫客服?" names, it does not call.
        let naming = ["这", "這", "也", "就", "还", "還", "才"];
        if marker == "叫" && naming.iter().any(|w| before[..start].ends_with(w)) {
            return None;
        }
        if kind == Kind::Person {
            let gap = &before[start + marker.len()..];
            let measured = gap.contains(['个', '個', '位', '名']) || gap.ends_with(['的', '嘅']);
            if PERSON_MEASURED.contains(&marker) && !measured {
                return None;
            }
            if matches!(marker, "有" | "有没有" | "有沒有" | "有冇") {
                // "有人在吗", "有人在线吗", "总得有人处理一下", but not "有人在店里吗".
                let there = after.strip_prefix('在').or_else(|| after.strip_prefix('喺'));
                let there = there.map(|t| strip_prefixes(t, ON_DUTY));
                let lead = &before[..start];
                let demand = MODALS.iter().any(|m| lead.ends_with(m)) && !clause.ends_with(['吗', '嗎']);
                if !(only_words(lead, EXIST_PREFIX) || demand) || there.is_some_and(|t| !only_polite(t)) {
                    return None;
                }
            } else if after.starts_with('在')
                || (matches!(marker, "要" | "需要") && clause.ends_with(['吗', '嗎', '么', '麼']))
            {
                return None;
            }
        }
        return Some(&clause[start..end]);
    }
    if matches!(kind, Kind::Strong | Kind::Addressed) && only_polite(before) && only_polite(after) {
        // "客服，我想问…" addresses the bot; "客服在吗" and a message of just "客服" call a person.
        let calls = PRESENCE.iter().any(|w| after.contains(w)) || only_nouns(after);
        let greets = GREETINGS.iter().any(|w| after.contains(w));
        let thanked = THANKS.iter().any(|w| before.contains(w));
        if thanked || kind == Kind::Addressed && (greets || more_follows && !calls) {
            return None;
        }
        return Some(&clause[p..end]);
    }
    // "你们经理在吗", "李经理现在在吗", "小王今天上班吗": a role or name asked after.
    let lead = strip_suffixes(before, GAPS);
    let lead_ok = only_polite(lead) || role_lead(lead) || able_modifier(before);
    let greeting = more_follows && SHOPKEEPERS.contains(&noun);
    if matches!(kind, Kind::Role | Kind::Named)
        && asks
        && lead_ok
        && !NOT_PRESENT.contains(&noun)
        && !greeting
    {
        return Some(noun);
    }
    // "经理能给我回个电话吗": a helper as the subject of a verb that reaches the writer.
    if reaches && kind != Kind::Person && kind != Kind::Typo && lead_ok && !greeting {
        return Some(&clause[p..]);
    }
    // "你们公司的人呢", "人呢": the company's people asked after.
    if kind == Kind::Person
        && after.starts_with('呢')
        && only_polite(&after['呢'.len_utf8()..])
        && (before.is_empty() || YOURS.iter().any(|y| before.starts_with(y)) && only_polite(lead))
    {
        return Some(noun);
    }
    // "财务部！", "店长呢": a role as the whole message.
    if kind == Kind::Role
        && alone
        && role_lead(strip_prefixes(before, ROLE_ALONE_PRE))
        && only_words(after, ROLE_ALONE_POST)
        && !NOT_PRESENT.contains(&noun)
        && !NOT_ALONE.contains(&noun)
    {
        return Some(noun);
    }
    None
}

/// Whether what follows a helper is a modal and a verb that reaches the writer ("能给我回个电话").
fn reaches_me(after: &str) -> bool {
    let now = strip_prefixes(after, NOW);
    let rest = strip_prefixes(now, REACH_MODALS);
    rest.len() < now.len() && REACH_ME.iter().any(|w| rest.starts_with(w))
}

/// Whether `lead` is empty or a role ("教务" in "教务老师").
fn role_lead(lead: &str) -> bool {
    lead.is_empty() || noun_at(lead).is_some_and(|(len, k)| len == lead.len() && k == Kind::Role)
}

/// Whether `modifier` (ending in 的) describes someone able to help: "能拍板的", "负责我这单的".
fn able_modifier(modifier: &str) -> bool {
    let Some(core) = modifier.strip_suffix('的').or_else(|| modifier.strip_suffix('嘅')) else {
        return false;
    };
    if core.chars().count() > 11 || !ABLE.iter().any(|w| core.contains(w)) {
        return false;
    }
    let mut rest = core.to_string();
    for w in ABLE {
        rest = rest.replace(w, "");
    }
    !ABLE_STOP.iter().any(|w| rest.contains(w))
}

/// Whether `modifier` (ending in 的) names the company or a part of it: "你们的", "财务部的".
fn org_modifier(modifier: &str) -> bool {
    let Some(core) = modifier.strip_suffix('的').or_else(|| modifier.strip_suffix('嘅')) else {
        return false;
    };
    let core = strip_prefixes(core, YOURS);
    core.is_empty()
        || ORGS.iter().any(|o| core.ends_with(o))
        || noun_at(core).is_some_and(|(len, k)| len == core.len() && k != Kind::Person)
}

/// Absence of a helper: "连一个活人都没有", "连个人都没有", "没有人工吗", "没人在吗".
fn absence(clause: &str) -> Option<&str> {
    for (p, _) in clause.char_indices() {
        let Some((len, kind)) = noun_at(&clause[p..]) else {
            continue;
        };
        if !matches!(kind, Kind::Strong | Kind::Addressed | Kind::Person) {
            continue;
        }
        let (before, after) = (&clause[..p], &clause[p + len..]);
        let lead_ok = |lead: &str| only_words(lead, EXIST_PREFIX) || kind != Kind::Person;
        if let Some(n) = NONE_OF.iter().find(|n| before.ends_with(**n))
            && ABSENT.iter().any(|a| after.starts_with(a) && only_polite(&after[a.len()..]))
            && lead_ok(&before[..before.len() - n.len()])
        {
            return Some(&clause[p - n.len()..p + len]);
        }
        if let Some(n) = NOT_THERE.iter().find(|n| before.ends_with(**n))
            && ABSENT_ASK.iter().any(|a| after.starts_with(a) && only_polite(&after[a.len()..]))
            && only_words(&before[..before.len() - n.len()], EXIST_PREFIX)
        {
            return Some(&clause[p - n.len()..p + len]);
        }
    }
    None
}

/// The helper, role or person named at the start of `s`, with its length in bytes.
fn noun_at(s: &str) -> Option<(usize, Kind)> {
    let mut best: Option<(usize, Kind)> = None;
    let tables =
        [(STRONG, Kind::Strong), (ADDRESSED, Kind::Addressed), (ROLES, Kind::Role), (TYPOS, Kind::Typo)];
    for (table, kind) in tables {
        for w in table.iter().filter(|w| s.starts_with(**w)) {
            if best.is_none_or(|(len, _)| w.len() > len) {
                best = Some((w.len(), kind));
            }
        }
    }
    if let Some(len) = name_len(s)
        && best.is_none_or(|(l, _)| len > l)
    {
        best = Some((len, Kind::Named));
    }
    if best.is_none() && s.starts_with('人') {
        best = Some(('人'.len_utf8(), Kind::Person));
    }
    best
}

/// A surname with a title ("李经理") or 小/老 with a surname ("小张") at the start of `s`.
fn name_len(s: &str) -> Option<usize> {
    let mut chars = s.chars();
    let first = chars.next()?;
    let rest = chars.as_str();
    if SURNAMES.contains(first) {
        let title = TITLES.iter().filter(|t| rest.starts_with(**t)).map(|t| t.len()).max();
        return title.map(|t| first.len_utf8() + t);
    }
    let second = rest.chars().next()?;
    (matches!(first, '小' | '老') && SURNAMES.contains(second)).then(|| first.len_utf8() + second.len_utf8())
}

/// The start and the verb asking for a noun preceded by `before`: the verb, then measure words
/// and softeners, then (for helpers, roles and names) a short modifier ("理赔", "财务部的").
fn find_marker(before: &str, kind: Kind, talk_follows: bool) -> Option<(usize, &'static str)> {
    let markers: &[&str] = match kind {
        Kind::Person => PERSON_MARKERS,
        Kind::Named => NAME_MARKERS,
        _ => MARKERS,
    };
    let cuts: Vec<usize> = before.char_indices().map(|(i, _)| i).rev().take(12).collect();
    for cut in std::iter::once(before.len()).chain(cuts) {
        let modifier = &before[cut..];
        if !modifier.is_empty() && !modifier_ok(modifier, kind) {
            continue;
        }
        let mut text = &before[..cut];
        for _ in 0..4 {
            if text.ends_with('是') {
                return None;
            }
            let found = markers
                .iter()
                .filter(|m| text.ends_with(**m))
                .filter(|m| kind != Kind::Role || !HELPER_ONLY_MARKERS.contains(m))
                .max_by_key(|m| m.len());
            if let Some(m) = found {
                return Some((text.len() - m.len(), m));
            }
            if talk_follows && let Some(c) = COMPANIONS.iter().find(|c| text.ends_with(**c)) {
                return Some((text.len() - c.len(), c));
            }
            match GAPS.iter().find(|g| text.ends_with(**g)) {
                Some(g) => text = &text[..text.len() - g.len()],
                None => break,
            }
        }
    }
    None
}

/// Whether `modifier` may stand between the verb and a noun of `kind`: up to four characters
/// before a role or name, up to six ending in 的 before any noun but 人, and no word in
/// `MOD_STOP`.
fn modifier_ok(modifier: &str, kind: Kind) -> bool {
    let chars = modifier.chars().count();
    let de = modifier.ends_with(['的', '嘅']);
    if kind != Kind::Typo && able_modifier(modifier) {
        return true;
    }
    let fits = match kind {
        Kind::Role | Kind::Named => chars <= 4 || (chars <= 7 && de),
        Kind::Strong | Kind::Addressed => chars <= 7 && de,
        Kind::Person => chars <= 8 && org_modifier(modifier),
        Kind::Typo => false,
    };
    fits && !MOD_STOP.iter().any(|w| modifier.contains(w))
}

/// Whether what follows a role, person or name carries the request on.
fn follow_ok(after: &str, kind: Kind) -> bool {
    let rest = strip_prefixes(after, ADVERBS);
    let able = strip_prefixes(rest, &["能够", "能夠", "能", "可以", "会", "會"]);
    let able = strip_prefixes(able, ADVERBS);
    let follow: &[&str] = if kind == Kind::Person { PERSON_FOLLOW } else { FOLLOW };
    after.is_empty()
        || only_polite(after)
        || follow.iter().any(|w| able.starts_with(w) || after.starts_with(w))
        || rest.starts_with('在')
        || noun_at(after).is_some_and(|(_, k)| k != Kind::Person)
}

/// Whether the talking verb after the noun is in the past ("跟客服说过了", "聊了半天").
fn talk_past(after: &str) -> bool {
    let rest = strip_prefixes(after, ADVERBS);
    TALK.iter().filter(|t| rest.starts_with(**t)).any(|t| {
        let tail = &rest[t.len()..];
        tail.starts_with(['过', '過', '了', '的'])
    })
}

/// Whether a negation scopes over the verb that starts right after `text`: it ends `text`,
/// past neutral words ("不用帮我转").
fn negated(mut text: &str) -> bool {
    for _ in 0..4 {
        if NEG_SCOPE.iter().any(|n| text.ends_with(n)) {
            return true;
        }
        match NEG_PASS.iter().find(|w| text.ends_with(**w)) {
            Some(w) => text = &text[..text.len() - w.len()],
            None => return false,
        }
    }
    false
}

/// A refusal of the bot: "不要机器人", "不想跟程序对话", "机器人闭嘴".
fn refusal(clause: &str) -> Option<&str> {
    for neg in REFUSE_BEFORE {
        for (i, _) in clause.match_indices(neg) {
            let mut rest = &clause[i + neg.len()..];
            for _ in 0..3 {
                match REFUSE_PASS.iter().filter(|w| rest.starts_with(**w)).max_by_key(|w| w.len()) {
                    Some(w) => rest = &rest[w.len()..],
                    None => break,
                }
            }
            let strong = BOTS.iter().find(|b| rest.starts_with(**b)).map(|b| (b.len(), true));
            let weak = || WEAK_BOTS.iter().find(|b| rest.starts_with(**b)).map(|b| (b.len(), false));
            let Some((len, strong)) = strong.or_else(weak) else {
                continue;
            };
            let after = &rest[len..];
            let keeps = if strong {
                after.is_empty() || only_polite(after) || REFUSE_AFTER.iter().any(|w| after.starts_with(w))
            } else {
                TALK.iter().any(|t| after.starts_with(t))
            };
            if keeps {
                let end = clause.len() - after.len();
                return Some(&clause[i..end]);
            }
        }
    }
    let rest = strip_prefixes(clause, BOT_OPENERS);
    let bot = BOTS.iter().find(|b| rest.starts_with(**b))?;
    let after = strip_prefixes(&rest[bot.len()..], INTENSIFIERS);
    let refusal = REFUSALS.iter().find(|r| after.starts_with(**r))?;
    let end = clause.len() - after.len() + refusal.len();
    Some(&clause[clause.len() - rest.len()..end])
}

/// A transfer with nothing else but politeness: "帮我转接一下", "那就转过去", "帮我转接".
fn lone_transfer(clause: &str) -> Option<&str> {
    let rest = strip_prefixes(clause, TRANSFER_PRE);
    let helped = rest.len() < clause.len()
        && ["帮", "幫", "给我", "給我", "麻烦", "麻煩", "请", "請", "那就", "直接"]
            .iter()
            .any(|w| clause[..clause.len() - rest.len()].contains(w));
    let verbs = [
        "升级处理",
        "升級處理",
        "往上反映",
        "往上报",
        "往上報",
        "转驳",
        "轉駁",
        "接通",
        "转接",
        "轉接",
        "转",
        "轉",
    ];
    let verb = verbs.iter().find(|v| rest.starts_with(**v))?;
    let tail = &rest[verb.len()..];
    let moved = ["一下", "过去", "過去"].iter().any(|w| tail.starts_with(w));
    if !only_words(tail, TRANSFER_POST) || !(verb.len() > 3 || helped || moved) {
        return None;
    }
    Some(&clause[clause.len() - rest.len()..clause.len() - tail.len()])
}

/// Whether a negation, condition, past time or identity question occurs anywhere in `norm`.
/// Whether `norm` names a helper, a role, a named person or the bot anywhere, request or not
/// (the semantic layer trusts a request by meaning only in a message that does). A bare 人 is
/// in too many words (个人, 人民) to count.
pub(crate) fn mentions_helper_or_bot(norm: &str) -> bool {
    BOTS.iter().any(|bot| norm.contains(bot))
        || norm.char_indices().any(|(k, _)| noun_at(&norm[k..]).is_some_and(|(_, kind)| kind != Kind::Person))
}

pub(crate) fn has_blocker(norm: &str) -> bool {
    asks_whether_needed(norm) || NEGATORS.iter().chain(HYPOTHETICAL).chain(IDENTITY).any(|w| norm.contains(w))
}

/// `text` without any words of `words` at its end (repeatedly).
fn strip_suffixes<'a>(mut text: &'a str, words: &[&str]) -> &'a str {
    while let Some(w) = words.iter().find(|w| text.ends_with(**w)) {
        text = &text[..text.len() - w.len()];
    }
    text
}

/// `text` without any words of `words` at its start (longest first, repeatedly).
fn strip_prefixes<'a>(mut text: &'a str, words: &[&str]) -> &'a str {
    while let Some(w) = words.iter().filter(|w| text.starts_with(**w)).max_by_key(|w| w.len()) {
        text = &text[w.len()..];
    }
    text
}

/// Whether `text` is made only of `words`.
fn only_words(text: &str, words: &[&str]) -> bool {
    strip_prefixes(text, words).is_empty()
}

/// Whether `text` holds only politeness, or a helper again ("人工人工人工" is a common plea).
fn only_polite(mut text: &str) -> bool {
    while !text.is_empty() {
        let word = POLITE.iter().chain(STRONG).chain(ADDRESSED).filter(|w| text.starts_with(**w));
        match word.max_by_key(|w| w.len()) {
            Some(w) => text = &text[w.len()..],
            None => return false,
        }
    }
    true
}

/// Whether `text` is a helper repeated ("客服人员客服人员").
fn only_nouns(text: &str) -> bool {
    !text.is_empty() && (only_words(text, STRONG) || only_words(text, ADDRESSED))
}
