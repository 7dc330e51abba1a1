package tasklist

import "github.com/leakdiag/leakdiag/dumpreader/internal/proctable"

// vocab names the columns tasklist prints. tasklist translates its
// headers (and its /fo list keys) with Windows' display language, and a
// header it does not know is not read: besides English, the names below
// are those of the Chinese (simplified), Japanese, Korean, German,
// Russian, French and Spanish editions as they appear in public pastes of
// tasklist's tables. The French and Spanish default tables cut their
// names at the column's width ("Nom de la sessio", "Uso de memor"): the
// cut names are the ones printed; the French Image Name is printed with
// a straight or a curly apostrophe, as the edition's translation has it.
var vocab = proctable.Vocab{
	// English.
	"image name": proctable.Image, "pid": proctable.PID, "session#": proctable.Session,
	"session name": proctable.Other, "mem usage": proctable.Other, "status": proctable.Other,
	"user name": proctable.Other, "cpu time": proctable.Other, "window title": proctable.Other,
	"services": proctable.Services, "modules": proctable.Other,

	// Chinese (simplified); /fo csv pads some names with blanks, which
	// the header's reading trims.
	"映像名称": proctable.Image, "会话名": proctable.Other, "会话#": proctable.Session,
	"内存使用": proctable.Other, "状态": proctable.Other, "用户名": proctable.Other,
	"cpu 时间": proctable.Other, "cpu时间": proctable.Other, "窗口标题": proctable.Other,
	"服务": proctable.Services, "模块": proctable.Other,

	// Japanese.
	"イメージ名": proctable.Image, "セッション名": proctable.Other, "セッション#": proctable.Session,
	"メモリ使用量": proctable.Other, "メモリ使用": proctable.Other, "状態": proctable.Other,
	"ユーザー名": proctable.Other, "cpu 時間": proctable.Other, "ウィンドウ タイトル": proctable.Other,
	"サービス": proctable.Services, "モジュール": proctable.Other,

	// Korean.
	"이미지 이름": proctable.Image, "세션 이름": proctable.Other, "세션#": proctable.Session,
	"메모리 사용": proctable.Other, "서비스": proctable.Services,

	// German.
	"abbildname": proctable.Image, "sitzungsname": proctable.Other, "sitz.-nr.": proctable.Session,
	"speichernutzung": proctable.Other, "dienste": proctable.Services, "module": proctable.Other,

	// Russian.
	"имя образа": proctable.Image, "имя сессии": proctable.Other, "№ сеанса": proctable.Session,
	"память": proctable.Other, "состояние": proctable.Other, "пользователь": proctable.Other,
	"время цп": proctable.Other, "заголовок окна": proctable.Other,

	// French.
	"nom de l'image": proctable.Image, "nom de l’image": proctable.Image, "nom de la session": proctable.Other,
	"nom de la sessio": proctable.Other, "numéro de session": proctable.Session,
	"numéro de s": proctable.Session, "numéro de ses": proctable.Session,
	"utilisation": proctable.Other, "utilisation de la mémoire": proctable.Other,

	// Spanish.
	"nombre de imagen": proctable.Image, "nombre de sesión": proctable.Other,
	"núm. de ses": proctable.Session, "uso de memor": proctable.Other, "uso de mem": proctable.Other,
}

// own are the columns of tasklist's tables that no other tool's process
// list has: every table of tasklist has one.
var own = map[string]bool{
	"session name": true, "session#": true, "mem usage": true, "services": true, "modules": true,
	"window title": true,
	"会话名":          true, "会话#": true, "内存使用": true, "窗口标题": true, "服务": true, "模块": true,
	"セッション名": true, "セッション#": true, "メモリ使用量": true, "メモリ使用": true,
	"ウィンドウ タイトル": true, "サービス": true, "モジュール": true,
	"세션 이름": true, "세션#": true, "메모리 사용": true, "서비스": true,
	"sitzungsname": true, "sitz.-nr.": true, "speichernutzung": true, "dienste": true, "module": true,
	"имя сессии": true, "№ сеанса": true, "заголовок окна": true,
	"nom de la session": true, "nom de la sessio": true, "numéro de session": true,
	"numéro de s": true, "numéro de ses": true, "utilisation de la mémoire": true,
	"nombre de sesión": true, "núm. de ses": true, "uso de memor": true, "uso de mem": true,
}
