package bench

import "github.com/cuecard/cuecard/internal/guide"

// Word lists for the synthetic library. They are plain data: the generator
// combines them deterministically into titles, front matter and bodies.

// app is one application guides can be tied to: the front-matter rules a
// guide for it carries, and a window that those rules match (for
// app-context queries).
type app struct {
	Name string
	// Rules are alternative rule sets written in front matter; a guide picks
	// one or two of them.
	Rules []appRule
	// Window is a window of this application as the focus tracker reports it.
	Exe, Class, Title string
	Domain            []string
}

type appRule struct{ Exe, Class, Title string }

func (r appRule) rule() guide.Rule { return guide.Rule{Exe: r.Exe, Class: r.Class, Title: r.Title} }

var apps = []app{
	{"Acme CRM", []appRule{{Title: `Acme CRM`}, {Exe: `^acme-crm$`}}, "firefox-esr", "firefox-esr", "Deals | Acme CRM — Mozilla Firefox", []string{"sales"}},
	{"Salesforce", []appRule{{Title: `\| Salesforce`}, {Exe: `firefox|chrome`, Title: `Salesforce`}}, "chrome", "Google-chrome", "Opportunities | Salesforce - Google Chrome", []string{"sales"}},
	{"HubSpot", []appRule{{Title: `HubSpot`}}, "firefox-esr", "firefox-esr", "Contacts | HubSpot — Mozilla Firefox", []string{"sales", "marketing"}},
	{"QuickBooks", []appRule{{Exe: `^quickbooks$`}, {Title: `QuickBooks`}}, "quickbooks", "QuickBooks", "QuickBooks Online - Invoices", []string{"finance"}},
	{"Xero", []appRule{{Title: `\| Xero`}}, "chrome", "Google-chrome", "Bills to pay | Xero - Google Chrome", []string{"finance"}},
	{"GnuCash", []appRule{{Exe: `^gnucash$`}, {Class: `Gnucash`}}, "gnucash", "Gnucash", "accounts.gnucash - Accounts - GnuCash", []string{"finance"}},
	{"SAP GUI", []appRule{{Exe: `^sapgui`}, {Title: `^SAP Easy Access`}}, "sapgui", "SAPGUI", "SAP Easy Access", []string{"finance", "ops"}},
	{"Stripe Dashboard", []appRule{{Title: `Stripe`}}, "chrome", "Google-chrome", "Payments – Stripe - Google Chrome", []string{"finance", "support"}},
	{"LibreOffice Calc", []appRule{{Class: `libreoffice-calc`}, {Exe: `^soffice`, Title: `LibreOffice Calc`}}, "soffice.bin", "libreoffice-calc", "budget.ods - LibreOffice Calc", []string{"finance", "ops", "sales"}},
	{"LibreOffice Writer", []appRule{{Class: `libreoffice-writer`}}, "soffice.bin", "libreoffice-writer", "contract.odt - LibreOffice Writer", []string{"hr", "sales", "marketing"}},
	{"Google Sheets", []appRule{{Title: ` - Google Sheets`}}, "chrome", "Google-chrome", "Forecast 2026 - Google Sheets - Google Chrome", []string{"finance", "sales", "ops"}},
	{"Google Docs", []appRule{{Title: ` - Google Docs`}}, "chrome", "Google-chrome", "Meeting notes - Google Docs - Google Chrome", []string{"marketing", "hr"}},
	{"Gmail", []appRule{{Title: `Gmail`}}, "firefox-esr", "firefox-esr", "Inbox (12) - maria@example.com - Gmail — Mozilla Firefox", []string{"support", "sales"}},
	{"Thunderbird", []appRule{{Exe: `^thunderbird$`}, {Class: `thunderbird`}}, "thunderbird", "thunderbird", "Inbox - Mozilla Thunderbird", []string{"support", "it"}},
	{"Outlook", []appRule{{Title: `Outlook`}}, "chrome", "Google-chrome", "Mail - Outlook - Google Chrome", []string{"support", "hr"}},
	{"Slack", []appRule{{Exe: `^slack$`}, {Class: `^Slack$`}}, "slack", "Slack", "general (Channel) - Example - Slack", []string{"it", "support"}},
	{"Microsoft Teams", []appRule{{Title: `Microsoft Teams`}}, "teams", "teams", "Chat | Microsoft Teams", []string{"it", "hr"}},
	{"Zoom", []appRule{{Exe: `^zoom$`}, {Class: `zoom`}}, "zoom", "zoom", "Zoom Meeting", []string{"it", "sales"}},
	{"Zendesk", []appRule{{Title: `Zendesk`}}, "firefox-esr", "firefox-esr", "Ticket #48213 – Zendesk Support — Mozilla Firefox", []string{"support"}},
	{"Freshdesk", []appRule{{Title: `Freshdesk`}}, "chrome", "Google-chrome", "Tickets : Freshdesk - Google Chrome", []string{"support"}},
	{"Intercom", []appRule{{Title: `Intercom`}}, "chrome", "Google-chrome", "Inbox | Intercom - Google Chrome", []string{"support", "marketing"}},
	{"ServiceNow", []appRule{{Title: `ServiceNow`}}, "firefox-esr", "firefox-esr", "Incidents | ServiceNow — Mozilla Firefox", []string{"it", "support"}},
	{"Jira", []appRule{{Title: `Jira`}}, "firefox-esr", "firefox-esr", "[OPS-1423] Printer offline - Jira — Mozilla Firefox", []string{"it", "engineering"}},
	{"Confluence", []appRule{{Title: `Confluence`}}, "firefox-esr", "firefox-esr", "Runbooks - Confluence — Mozilla Firefox", []string{"it", "engineering"}},
	{"GitLab", []appRule{{Title: `GitLab`}}, "firefox-esr", "firefox-esr", "Merge requests · GitLab — Mozilla Firefox", []string{"engineering"}},
	{"VS Code", []appRule{{Exe: `^code$`}, {Class: `^Code$`}}, "code", "Code", "main.go - cuecard - Visual Studio Code", []string{"engineering"}},
	{"Terminal", []appRule{{Class: `gnome-terminal|konsole|xterm`}}, "gnome-terminal-server", "Gnome-terminal", "maria@laptop: ~", []string{"engineering", "it"}},
	{"KeePassXC", []appRule{{Exe: `^keepassxc$`}}, "keepassxc", "KeePassXC", "Passwords.kdbx - KeePassXC", []string{"it"}},
	{"Nextcloud", []appRule{{Class: `Nextcloud`}, {Title: `Nextcloud`}}, "nextcloud", "Nextcloud", "Nextcloud", []string{"it", "ops"}},
	{"Workday", []appRule{{Title: `Workday`}}, "chrome", "Google-chrome", "Time Off - Workday - Google Chrome", []string{"hr"}},
	{"BambooHR", []appRule{{Title: `BambooHR`}}, "chrome", "Google-chrome", "Employees - BambooHR - Google Chrome", []string{"hr"}},
	{"Shopify", []appRule{{Title: `Shopify`}}, "chrome", "Google-chrome", "Orders · Example Store · Shopify - Google Chrome", []string{"ops", "support"}},
	{"Odoo", []appRule{{Title: `Odoo`}}, "firefox-esr", "firefox-esr", "Inventory - Odoo — Mozilla Firefox", []string{"ops", "finance"}},
	{"Mailchimp", []appRule{{Title: `Mailchimp`}}, "chrome", "Google-chrome", "Campaigns | Mailchimp - Google Chrome", []string{"marketing"}},
	{"WordPress", []appRule{{Title: `WordPress`}}, "firefox-esr", "firefox-esr", "Posts ‹ Example Blog — WordPress — Mozilla Firefox", []string{"marketing"}},
	{"GIMP", []appRule{{Exe: `^gimp`}, {Class: `^Gimp`}}, "gimp-2.10", "Gimp-2.10", "GNU Image Manipulation Program", []string{"marketing"}},
	{"Inkscape", []appRule{{Exe: `^inkscape$`}}, "inkscape", "Inkscape", "flyer.svg - Inkscape", []string{"marketing"}},
	{"Figma", []appRule{{Title: `Figma`}}, "chrome", "Google-chrome", "Landing page – Figma - Google Chrome", []string{"marketing", "engineering"}},
	{"Tableau", []appRule{{Title: `Tableau`}}, "chrome", "Google-chrome", "Sales dashboard - Tableau - Google Chrome", []string{"sales", "finance"}},
	{"Trello", []appRule{{Title: `Trello`}}, "firefox-esr", "firefox-esr", "Onboarding | Trello — Mozilla Firefox", []string{"hr", "ops"}},
}

// task objects by department: what guides are about.
var objects = map[string][]string{
	"finance": {"invoice", "credit note", "refund", "expense claim", "purchase order", "vendor bill", "bank reconciliation",
		"payment run", "month-end close", "VAT return", "budget", "petty cash", "payroll journal", "fixed asset",
		"currency revaluation", "customer statement", "late payment reminder", "supplier payment", "journal entry",
		"cost centre", "annual audit", "tax invoice", "direct debit", "credit card statement", "accrual"},
	"sales": {"deal", "quote", "lead", "opportunity", "contract", "forecast", "pipeline report", "discount approval",
		"renewal", "price list", "sales order", "commission report", "customer account", "territory", "trial extension",
		"proposal", "demo booking", "monthly sales report", "partner referral", "upsell offer"},
	"support": {"ticket", "escalation", "refund request", "SLA breach", "macro", "knowledge base article",
		"customer complaint", "chargeback", "warranty claim", "bug report", "satisfaction survey", "callback",
		"order cancellation", "account merge", "password reset request", "shipping delay", "return label"},
	"hr": {"onboarding checklist", "leave request", "timesheet", "performance review", "job posting", "offboarding",
		"sick note", "employment contract", "training budget", "expense policy", "parental leave", "holiday calendar",
		"salary change", "probation review", "reference letter", "interview schedule", "remote work request"},
	"it": {"password", "VPN access", "laptop setup", "software licence", "backup", "printer", "user account",
		"MFA device", "shared mailbox", "Wi-Fi certificate", "disk encryption", "phishing report", "admin rights",
		"distribution list", "file share", "security update", "lost laptop", "guest network"},
	"marketing": {"newsletter", "campaign", "landing page", "social post", "event", "press release", "webinar",
		"brand asset", "case study", "blog post", "discount code", "mailing list", "trade show booth", "banner ad",
		"customer story", "product launch"},
	"ops": {"shipment", "inventory count", "supplier order", "return", "warehouse transfer", "stock adjustment",
		"delivery note", "packing slip", "carrier pickup", "damaged goods report", "reorder point", "goods receipt",
		"pallet label", "customs declaration", "backorder"},
	"engineering": {"merge request", "release", "hotfix", "code review", "deployment", "feature flag", "on-call handover",
		"incident postmortem", "database migration", "API key", "staging environment", "dependency update",
		"build pipeline", "log search", "error budget"},
}

var verbs = []string{"create", "approve", "refund", "cancel", "export", "import", "reconcile", "submit", "review",
	"update", "archive", "delete", "merge", "assign", "escalate", "close", "reopen", "schedule", "send", "print",
	"duplicate", "void", "reset", "request", "configure", "set up", "transfer", "verify", "track", "fix", "find",
	"edit", "share", "sign", "renew", "split", "report", "record", "book", "publish", "prepare", "check", "restore",
	"correct", "upload", "download", "attach", "approve and post", "handle", "chase", "migrate", "rename"}

var tagsByDomain = map[string][]string{
	"finance":     {"finance", "billing", "accounting", "month-end", "tax", "payments", "audit", "ledger", "cash"},
	"sales":       {"sales", "crm", "pipeline", "forecast", "deals", "pricing", "revenue", "customers"},
	"support":     {"support", "tickets", "customers", "refunds", "sla", "escalation", "helpdesk"},
	"hr":          {"hr", "people", "onboarding", "leave", "payroll", "hiring", "policy"},
	"it":          {"it", "security", "accounts", "devices", "network", "access", "helpdesk"},
	"marketing":   {"marketing", "campaigns", "content", "brand", "events", "email", "social"},
	"ops":         {"operations", "warehouse", "shipping", "inventory", "suppliers", "logistics"},
	"engineering": {"engineering", "releases", "devops", "incidents", "code", "deploy"},
}

var owners = []string{"maria.lopez@example.com", "sam.okafor@example.com", "li.wei@example.com", "jonas.berg@example.com",
	"aisha.khan@example.com", "tom.riley@example.com", "finance-team@example.com", "it-helpdesk@example.com",
	"people-ops@example.com", "support-leads@example.com", "nina.petrova@example.com", "dev.rao@example.com"}

var roles = []string{"sales", "finance", "support", "hr", "it", "marketing", "ops", "engineering", "managers", "everyone"}

var reviewPeriods = []guide.Period{{N: 90, Unit: 'd'}, {N: 180, Unit: 'd'}, {N: 6, Unit: 'm'}, {N: 1, Unit: 'y'}, {N: 3, Unit: 'm'}, {N: 12, Unit: 'm'}}

var menus = []string{"Settings", "Reports", "Customers", "Invoices", "Orders", "Admin", "Dashboard", "Tools", "Accounts",
	"Transactions", "Contacts", "Files", "Inbox", "Tasks", "Projects", "Payments", "Inventory", "Users", "Billing",
	"Templates", "Approvals", "History", "Integrations", "Preferences", "Team"}

var buttons = []string{"Save", "New", "Export", "Submit", "Approve", "Send", "Confirm", "Apply", "Continue", "Done",
	"Add line", "Attach file", "Post", "Refund", "Cancel order", "Mark as paid", "Assign", "Merge", "Publish",
	"Download CSV", "Print", "Share", "Archive", "Review", "Sign"}

var teams = []string{"the finance team", "your manager", "the IT helpdesk", "the team lead", "the account owner",
	"the support lead", "payroll", "the warehouse supervisor", "legal", "the release manager", "people ops",
	"the customer", "the controller", "marketing ops"}

var states = []string{"pending", "overdue", "on hold", "draft", "locked", "partially paid", "failed", "out of stock",
	"unassigned", "expired", "rejected", "blocked", "duplicated", "in review", "stale", "flagged"}

var adjectives = []string{"correct", "latest", "original", "monthly", "weekly", "shared", "current", "approved",
	"previous", "default", "internal", "external", "urgent", "standard", "optional", "required", "final", "signed",
	"annual", "quarterly", "open", "closed", "new", "existing", "temporary", "primary"}

var nouns = []string{"amount", "date", "customer", "account", "reference", "note", "field", "report", "column",
	"total", "balance", "attachment", "approval", "email", "link", "folder", "template", "status", "owner",
	"filter", "number", "currency", "record", "comment", "receipt", "tab", "page", "document", "entry", "line",
	"period", "batch", "file", "summary", "code", "address", "contact", "channel", "label", "deadline", "rate",
	"policy", "checklist", "form", "screenshot", "password", "permission", "schedule", "request", "order"}

// sentence templates: {v} verb, {o} object, {n} noun, {a} adjective,
// {m} menu, {b} button, {t} team, {s} state, {x} a rare word (names, codes),
// {d} a number, {p} the past participle of the guide's verb.
var sentences = []string{
	"Open **{m}** and click **{b}**.",
	"Check that the {n} is {a} before you {v} the {o}.",
	"If the {o} shows *{s}*, ask {t} to {v} it first.",
	"The {a} {n} must match the {n} on the {o}.",
	"Use the {a} template from **{m}**; do not start from an empty {n}.",
	"Write the {n} as `{x}-{d}` so that everyone can find it later.",
	"Most mistakes happen when the {n} is left empty or the {o} is {s}.",
	"{t} reviews every {o} above {d} euros, so allow a day for the approval.",
	"Click **{b}** and wait until the {n} changes to *{s}*.",
	"Attach the {n} and a short {n} explaining why you need to {v} the {o}.",
	"In **{m}**, filter by {n} and sort by {n} to find the {o}.",
	"Never {v} an {a} {o} without telling {t}.",
	"The {o} for {x} is handled by {t}, not by us.",
	"You can {v} up to {d} items at once from **{m}**.",
	"When the {n} is {s}, the {o} cannot be {p} until {t} unlocks it.",
	"Keep a copy of the {a} {n} in the shared folder **{m}**.",
	"If you are unsure, post a question in the channel #{x} before you {v} anything.",
	"Remember that {x} and {x} use a different {n} for the {o}.",
	"Double-check the {n}: a wrong {n} sends the {o} to the wrong {n}.",
	"This takes about {d} minutes the first time and less afterwards.",
	"Select the {o}, then choose **{m} → {b}**.",
	"The {n} field accepts only {a} values; anything else turns the {o} *{s}*.",
	"Ask {t} for access if **{m}** is missing from your menu.",
	"After you {v} the {o}, the {n} is updated within {d} minutes.",
	"Do not {v} the {o} on the last working day of the month; {t} closes the books then.",
}

var intros = []string{
	"This guide explains how to {v} the {o} the way {t} expects it.",
	"Follow these steps whenever you need to {v} a {o}.",
	"Here is the short version of how we {v} the {o}, with the mistakes people make most often.",
	"Use this when a customer or colleague asks you to {v} the {o}.",
	"We {v} the {o} every week; the steps below keep everyone's numbers consistent.",
}

var headings = []string{"Before you start", "Steps", "Check your work", "Common mistakes", "If something goes wrong",
	"After you finish", "Who to ask", "Why this matters", "Good to know", "Shortcuts"}

var faqQuestions = []string{
	"How do I {v} a {o}?",
	"Why is my {o} *{s}*?",
	"Who can {v} the {o}?",
	"Can I {v} an {a} {o}?",
	"What happens to the {n} when I {v} the {o}?",
	"Where do I find the {a} {n}?",
	"How long does it take to {v} a {o}?",
	"What if the {n} is wrong?",
}

// syllables build rare words: customer names, codes, product names. They
// make the vocabulary grow with the library, as real text does.
var syllables = []string{"ka", "lo", "ren", "tis", "mar", "vel", "do", "qui", "nor", "sa", "bel", "tor", "fin",
	"ga", "lux", "mo", "pra", "zen", "ri", "cor", "dal", "vi", "sto", "ne", "ham", "pel", "oru", "tek", "ly", "xa"}
