package taskmgr

import "github.com/leakdiag/leakdiag/dumpreader/internal/proctable"

// vocab names the columns of the Details tab. The English names are
// those of Windows 10 and 11; the German, French, Spanish and Brazilian
// Portuguese ones were written from memory of those editions and not
// checked against a capture: a column the reader does not know is kept
// as unknown, and a header needs only its PID, name and handle columns
// known.
var vocab = proctable.Vocab{
	// English.
	"name": proctable.Image, "pid": proctable.PID, "handles": proctable.Handles,
	"threads": proctable.Threads, "session id": proctable.Session,
	"image path name": proctable.Path,
	"status":          proctable.Other, "user name": proctable.Other, "cpu": proctable.Other,
	"cpu time": proctable.Other, "memory (active private working set)": proctable.Other,
	"memory (private working set)": proctable.Other, "memory (shared working set)": proctable.Other,
	"working set (memory)": proctable.Other, "peak working set (memory)": proctable.Other,
	"working set delta (memory)": proctable.Other, "commit size": proctable.Other,
	"paged pool": proctable.Other, "np pool": proctable.NonPagedKB, "page faults": proctable.Other,
	"pf delta": proctable.Other, "base priority": proctable.Other, "gdi objects": proctable.Other,
	"user objects": proctable.Other, "i/o reads": proctable.Other, "i/o writes": proctable.Other,
	"i/o other": proctable.Other, "i/o read bytes": proctable.Other, "i/o write bytes": proctable.Other,
	"i/o other bytes": proctable.Other, "command line": proctable.Other,
	"description": proctable.Other, "architecture": proctable.Other, "platform": proctable.Other,
	"elevated": proctable.Other, "uac virtualization": proctable.Other,
	"data execution prevention": proctable.Other, "enterprise context": proctable.Other,
	"power throttling": proctable.Other, "operating system context": proctable.Other,
	"job object id": proctable.Other, "gpu": proctable.Other, "gpu engine": proctable.Other,
	"dedicated gpu memory": proctable.Other, "shared gpu memory": proctable.Other,

	// Windows 7's Processes tab, which the Details tab replaced.
	"image name": proctable.Image, "mem usage": proctable.Other,
	"memory - private working set": proctable.Other, "memory - working set": proctable.Other,
	"memory - peak working set": proctable.Other, "memory - working set delta": proctable.Other,
	"memory - commit size": proctable.Other, "memory - paged pool": proctable.Other,
	"memory - non-paged pool": proctable.NonPagedKB,

	// German.
	"benutzername": proctable.Other, "sitzungs-id": proctable.Session,
	"arbeitsspeicher (aktiver privater arbeitssatz)": proctable.Other,
	"beschreibung": proctable.Other, "architektur": proctable.Other, "befehlszeile": proctable.Other,
	"pfadname des abbilds": proctable.Path, "gdi-objekte": proctable.Other,
	"benutzerobjekte": proctable.Other, "plattform": proctable.Other, "cpu-zeit": proctable.Other,

	// French.
	"nom": proctable.Image, "statut": proctable.Other, "nom d'utilisateur": proctable.Other,
	"nom d’utilisateur": proctable.Other, "processeur": proctable.Other,
	"mémoire (plage de travail privée active)": proctable.Other,
	"id de session": proctable.Session, "ligne de commande": proctable.Other,

	// Spanish.
	"nombre": proctable.Image, "id. de proceso": proctable.PID, "estado": proctable.Other, "nombre de usuario": proctable.Other,
	"memoria (espacio de trabajo privado activo)": proctable.Other,
	"identificadores": proctable.Handles, "subprocesos": proctable.Threads,
	"id. de sesión": proctable.Session, "descripción": proctable.Other,
	"arquitectura": proctable.Other, "línea de comandos": proctable.Other,

	// Chinese (simplified): the Details tab's default columns as copies
	// of it show them (Windows 10 and 11 name the memory column
	// differently); Handles, Threads and Session ID as the column chooser
	// names them.
	"名称": proctable.Image, "状态": proctable.Other, "用户名": proctable.Other,
	"内存(专用工作集)": proctable.Other, "内存(活动的专用工作集)": proctable.Other,
	"描述": proctable.Other, "句柄": proctable.Handles, "线程": proctable.Threads,
	"会话 id": proctable.Session, "命令行": proctable.Other, "体系结构": proctable.Other,

	// Brazilian Portuguese.
	"nome": proctable.Image, "nome de usuário": proctable.Other,
	"memória (conjunto de trabalho privado ativo)": proctable.Other,
	"id da sessão": proctable.Session, "descrição": proctable.Other,
	"arquitetura": proctable.Other, "linha de comando": proctable.Other,
}
