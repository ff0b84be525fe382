"""User-facing strings in zh-TW (first) and English, in one catalog.

``t("key", **fields)`` formats the string of the current language; the language is chosen once
per run (``--lang`` / QUIZAPP_LANG) with ``set_lang``.
"""

from __future__ import annotations

import datetime as dt

_LANG = "zh-TW"

CATALOG: dict[str, tuple[str, str]] = {
    # app and home
    "app.title": ("淨零碳規劃管理師 題庫練習", "Net-Zero Carbon Planning Manager exam prep"),
    "home.heading": ("選擇題庫開始練習", "Pick a bank to practise"),
    "home.all_banks": ("全部題庫", "All banks"),
    "home.bank_line": (
        "{title}\n  {id}　共 {count} 題，已練習 {answered} 題",
        "{title}\n  {id}  {count} questions, {answered} practised",
    ),
    "home.all_line": (
        "全部題庫　共 {count} 題，已練習 {answered} 題",
        "All banks  {count} questions, {answered} practised",
    ),
    "home.empty": (
        "尚無題庫。請用 `quizapp bank import 檔案` 匯入。",
        "No banks yet. Import one with `quizapp bank import FILE`.",
    ),
    "home.hint": (
        "Enter 練習　w 弱點　d 到期　s 星號　x 模擬考　b 題目　t 統計　n 筆記　e 考試日　? 說明",
        "Enter practise  w weak  d due  s starred  x exam  b browse  t stats  n notes  e exam",
    ),
    "home.today": (
        "目標 {goal}　連續 {streak} 天　到期 {due}　新題 {new}",
        "goal {goal}  streak {streak} d  due {due}  new {new}",
    ),
    "home.exam": ("考試日期 {date}，還有 {days} 天", "Exam on {date}: {days} days left"),
    "home.exam_default": ("（下一個官方梯次；按 e 修改）", " (next official sitting; e to change)"),
    "home.no_exam": (
        "尚未設定考試日期：按 e 設定，新題進度與複習會對準考試當天",
        "No exam date yet: press e so new questions and reviews are paced for exam day",
    ),
    "home.ready": ("準備度　", "Readiness  "),
    "home.ready_line": (
        "{subject} 預估 {score}（{low}–{high}）",
        "{subject} {score} ({low}–{high})",
    ),
    "home.verdict": (
        "　平均 {average}／{need}、各科 ≥ {minimum}：{verdict}（及格機率 {p}%）",
        "  average {average}/{need}, each ≥ {minimum}: {verdict} (P(pass) {p}%)",
    ),
    "home.weak_none": (
        "先答幾題，才看得出哪裡弱",
        "answer a few questions first to see where you are weak",
    ),
    "home.weak_none_notice": (
        "還沒有作答紀錄可判斷弱點：先按 Enter 練習幾題",
        "No answers yet to judge weak topics: practise a few with Enter first",
    ),
    "home.weak": ("最弱主題（按 w 練習）：", "Weakest topics (w to practise): "),
    "exam.hint": (
        "A–D 作答　x 清除　←→ 上下題　f 標記　v 題號總覽　s 交卷",
        "A–D answer  x clear  ←→ move  f flag  v navigator  s submit",
    ),
    "exam.position": ("第 {n}/{total} 題", "Question {n}/{total}"),
    "exam.flagged_word": ("已標記", "flagged"),
    "exam.counts": ("已答 {answered}　標記 {flagged}", "answered {answered}  flagged {flagged}"),
    "exam.warn": ("剩下 {minutes} 分鐘", "{minutes} minute(s) left"),
    "exam.time_up": ("時間到，已自動交卷", "Time is up: the exam was submitted"),
    "exam.confirm": (
        "確定要交卷嗎？交卷後就不能再修改答案。",
        "Submit now? Answers cannot be changed afterwards.",
    ),
    "exam.leave_confirm": (
        "離開考試畫面？計時不會停止，回到首頁可繼續作答。",
        "Leave the exam? The clock keeps running; resume it from home.",
    ),
    "dialog.yes_no": ("y／Enter 確定　n／Esc 取消", "y/Enter yes  n/Esc no"),
    "exam.nav_title": ("題號總覽", "All questions"),
    "exam.nav_legend": (
        "■ 已答　□ 未答　⚑ 標記　方向鍵移動　Enter 前往　Esc 關閉",
        "■ answered  □ unanswered  ⚑ flagged  arrows move  Enter go  Esc close",
    ),
    "exam.review_title": ("交卷前檢查", "Before you submit"),
    "exam.review_counts": (
        "已答 {answered}/{total} 題；未答 {unanswered} 題，標記 {flagged} 題",
        "{answered}/{total} answered; {unanswered} unanswered, {flagged} flagged",
    ),
    "exam.review_unanswered": ("第 {n} 題　未作答", "Question {n}: unanswered"),
    "exam.review_flagged": ("第 {n} 題　⚑ 已標記", "Question {n}: ⚑ flagged"),
    "exam.review_hint": (
        "Enter 前往該題　s 交卷　Esc 回到作答",
        "Enter go there  s submit  Esc back",
    ),
    "exam.setup_questions": (
        "共 {total} 題，限時 {minutes} 分鐘",
        "{total} questions, {minutes} minutes",
    ),
    "exam.setup_rules": (
        "及格：各科滿分 100，平均 {average} 分以上且單科不低於 {minimum} 分",
        "Pass: each subject out of 100, average ≥ {average}, no subject below {minimum}",
    ),
    "exam.setup_seed": (
        "題目種子：{seed}（用 --seed 可重考同一份）",
        "Seed: {seed} (--seed repeats it)",
    ),
    "exam.setup_short": (
        "⚠ {subject} 只有 {have} 題，少於藍圖的 {wanted} 題：以 {have} 題、按比例縮短時間進行",
        "⚠ {subject}: only {have} of {wanted} questions: the exam is shortened in proportion",
    ),
    "exam.setup_empty": (
        "✗ 這個範圍沒有任何題目，無法開始。請匯入題庫或選擇其他藍圖。",
        "✗ No questions in this scope: import a bank or pick another blueprint.",
    ),
    "exam.setup_hint": ("Enter 開始計時　Esc 取消", "Enter start the clock  Esc cancel"),
    "exam.setup_hint_empty": ("Esc 返回", "Esc back"),
    "exam.all_subjects": ("全部", "All"),
    "exam.pick_title": ("選擇模擬考", "Choose a mock exam"),
    "exam.pick_line": (
        "{title}　{questions} 題／{minutes} 分",
        "{title}  {questions} q / {minutes} min",
    ),
    "exam.pick_hint": ("Enter 選擇　Esc 取消", "Enter choose  Esc cancel"),
    "exam.report_title": ("模擬考成績", "Mock exam report"),
    "exam.auto_submitted": ("時間到自動交卷", "submitted automatically at time-out"),
    "exam.passed": ("✓ 通過", "✓ PASS"),
    "exam.failed": ("✗ 未通過", "✗ FAIL"),
    "exam.rule": (
        "及格：平均 {average}、單科不低於 {minimum}",
        "pass: average {average}, no subject below {minimum}",
    ),
    "exam.time_used": ("作答時間 {used}／{total}", "Time used {used} of {total}"),
    "exam.report_hint": (
        "r 檢討全部　w 只看答錯　f 只看標記　q 回首頁",
        "r review all  w wrong only  f flagged  q home",
    ),
    "exam.review_none": ("沒有符合的題目", "No such question"),
    "exam.review_position": (
        "檢討 {k}/{n}（原第 {number} 題）",
        "Review {k}/{n} (question {number})",
    ),
    "exam.review_screen_hint": ("←→ 上下題　o 讀筆記　q 返回成績", "←→ move  o note  q back"),
    "exam.unanswered": ("未作答", "unanswered"),
    "exam.md_date": ("交卷時間", "Submitted"),
    "exam.md_attempt": ("場次", "Attempt"),
    "exam.md_time": ("作答時間", "Time used"),
    "exam.md_result": ("結果", "Result"),
    "exam.md_scores": ("各科分數", "Scores"),
    "exam.md_topics": ("各主題答對題數", "Right answers per topic"),
    "exam.md_earlier": ("先前成績（同一藍圖）", "Earlier attempts (same blueprint)"),
    "exam.md_wrong": ("答錯或未答的題目", "Wrong or unanswered"),
    "exam.md_yours": ("你的答案", "Your answer"),
    "exam.resume": (
        "有一場進行中的模擬考：{title}，已答 {answered}/{total}，剩 {left}。繼續作答？",
        "A mock exam is running: {title}, {answered}/{total} answered, {left} left. Resume?",
    ),
    "exam.running_instead": (
        "已有一場進行中的模擬考：{title}，已答 {answered}/{total}，剩 {left}。"
        "一次只能考一場；要繼續那一場嗎？",
        "A mock exam is already running: {title}, {answered}/{total} answered, {left} left. "
        "One at a time: resume it?",
    ),
    "practice.prompt_choices": (
        "按 {first}–{last}（或 1–{n}）作答　g 猜測　s 星號　m 筆記　? 說明",
        "Press {first}–{last} (or 1–{n}) to answer  g guess  s star  m note  ? help",
    ),
    "practice.prompt_multi": (
        "複選題：按 {first}–{last} 選取或取消，選好後按 Enter 交答　? 說明",
        "Several answers: {first}–{last} toggle, Enter submits  ? help",
    ),
    "practice.requeued_hint": (
        "已放回本輪，稍後再問　Enter 下一題　o 讀筆記　q 返回",
        "Back in this session  Enter next  o note  q back",
    ),
    "home.guess_baseline": ("（25 分是全部用猜的分數）", " (25 = guessing everything)"),
    "exam.rule_single": ("及格：{average} 分", "pass mark: {average}"),
    "exam.expired": (
        "上次的模擬考已超過時間，已用當時的答案交卷（t 可看統計，x 再考一次）",
        "Your last mock exam ran out of time and was submitted with its answers",
    ),
    "browse.placeholder": ("搜尋題目（中文可）；Enter 到結果", "Search questions; Enter: results"),
    "browse.hint": (
        "Enter 開啟　0–4 狀態篩選　t 主題　b 題庫　p 練習這些題　i 試題分析　/ 搜尋　Esc 返回",
        "Enter open  0–4 status  t topic  b bank  p practise these  i item stats  / search  Esc",
    ),
    "browse.filters": (
        "{n} 題　狀態：{status}　主題：{topic}　題庫：{bank}",
        "{n} found  status: {status}  topic: {topic}  bank: {bank}",
    ),
    "browse.any": ("全部", "any"),
    "browse.col_question": ("題目", "Question"),
    "browse.col_status": ("狀態", "Status"),
    "browse.col_stem": ("題幹", "Stem"),
    "browse.status_never-seen": ("未做過", "never seen"),
    "browse.status_wrong-recently": ("近期答錯", "wrong lately"),
    "browse.status_starred": ("★", "★"),
    "browse.status_leech": ("難題", "leech"),
    "browse.history": ("作答紀錄（{n} 次）", "History ({n} answers)"),
    "browse.item_line": (
        "模擬考統計：{n} 次作答，難易度 {facility}，鑑別度 {disc}",
        "Mock-exam statistics: {n} answers, facility {facility}, discrimination {disc}",
    ),
    "browse.detail_hint": ("o 讀筆記　q 返回", "o note  q back"),
    "items.title": ("試題分析：{bank}（所有模擬考）", "Item analysis: {bank} (all mock exams)"),
    "items.hint": (
        "難易度＝答對比例；鑑別度＝與其餘題目得分的點二系列相關（至少 5 次作答）　q 返回",
        "facility = share right; discrimination = point-biserial vs rest score (≥5 answers)  q",
    ),
    "items.key": ("題號", "Key"),
    "items.n": ("作答數", "N"),
    "items.facility": ("難易度", "Facility"),
    "items.discrimination": ("鑑別度", "Discr."),
    "items.answer": ("答案", "Key"),
    "items.choices": ("各選項", "Choices"),
    "items.flags": ("警示", "Flags"),
    "items.flag_negative-discrimination": ("⚠ 鑑別度為負", "⚠ negative discrimination"),
    "items.flag_distractor-beats-key": ("⚠ 高分組多選誘答", "⚠ strong group prefers a distractor"),
    "examdate.title": (
        "考試日期（YYYY-MM-DD，留空清除）",
        "Exam date (YYYY-MM-DD, empty to clear)",
    ),
    "examdate.past": (
        "{value} 已經過了：請輸入今天以後的日期",
        "{value} is in the past: enter a future date",
    ),
    "examdate.hint": ("Enter 儲存　Esc 取消", "Enter save  Esc cancel"),
    "stats.hint": (
        "1–8 依欄位排序（再按一次反向）　↑↓ 捲動　q 返回",
        "1–8 sort by column (again: reverse)  ↑↓ scroll  q back",
    ),
    "stats.col_topic": ("主題", "Topic"),
    "stats.col_seen": ("已學", "Seen"),
    "stats.col_acc": ("正確率", "Acc."),
    "stats.col_recent": ("近兩週", "Recent"),
    "stats.col_r_now": ("記憶率", "R now"),
    "stats.col_r_exam": ("考試日", "R exam"),
    "stats.col_expected": ("預估分", "Exp."),
    "stats.col_lapses": ("遺忘", "Lapses"),
    "stats.forecast_title": ("未來 30 天每日到期題數", "Reviews due per day, next 30 days"),
    "stats.accuracy_title": ("近 12 週正確率", "Accuracy per week, last 12 weeks"),
    "home.user": ("{user}　今日已答 {today} 題", "{user}  answered today: {today}"),
    # practice
    "practice.progress": ("第 {n} 題　{bank}", "Question {n}  {bank}"),
    "practice.session": ("本輪答對 {right}／{done}", "Session: {right}/{done} right"),
    "practice.correct": ("✓ 正確", "✓ Correct"),
    "practice.wrong": ("✗ 錯誤", "✗ Wrong"),
    "practice.answer_is": ("正確答案：{answer}", "Correct answer: {answer}"),
    "practice.your_answer": ("你的答案：{answer}", "Your answer: {answer}"),
    "practice.explanation": ("解析", "Explanation"),
    "practice.notes": ("參考筆記", "Study notes"),
    "practice.prompt": (
        "A–D（或 1–4）作答　g 猜測　s 星號　m 筆記　? 說明",
        "A–D (or 1–4) answer  g guess  s star  m note  ? help",
    ),
    "practice.next_prompt": (
        "Enter 下一題　o 讀筆記　r 再問　u 撤銷　1–4 評分　q 返回",
        "Enter next  o note  r ask again  u undo  1–4 rate  q back",
    ),
    "practice.done": ("本輪練習完成！", "Session complete!"),
    "practice.done_detail": (
        "答對 {right} / 已答 {done} 題。目前沒有到期或新的題目。按 q 返回首頁。",
        "{right} right of {done}. Nothing due or new right now. Press q to go home.",
    ),
    "practice.saved": ("已儲存", "saved"),
    "practice.done_hint": ("q 返回首頁　? 說明", "q home  ? help"),
    "practice.rating_line": (
        "評分：{rating}（按 1–4 可修改）　下次複習：{when}",
        "Rating: {rating} (1–4 to change)  Next review: {when}",
    ),
    "practice.was_guess": ("（標記為猜測）", "(marked as a guess)"),
    "practice.guess_on": ("【猜測】", "[guess]"),
    "practice.leech": (
        "⚠ 這題已遺忘 {n} 次，建議按 o 重讀筆記。",
        "⚠ Forgotten {n} times: press o and re-read the note.",
    ),
    "practice.my_note": ("我的筆記", "My note"),
    "practice.option_feedback": ("選項 {label}：{text}", "Option {label}: {text}"),
    "practice.rating_refused": (
        "答錯只能評「重來」；猜對最多評「困難」",
        "A wrong answer stays Again; a guess is at most Hard",
    ),
    "practice.undone": ("已撤銷上一個答案", "Last answer undone"),
    "practice.starred": ("已加星號 ★", "Starred ★"),
    "practice.unstarred": ("已取消星號", "Star removed"),
    "practice.note_saved": ("筆記已儲存", "Note saved"),
    "practice.note_title": ("我的筆記（本題）", "My note on this question"),
    "practice.note_hint": ("Ctrl+S 儲存　Esc 取消", "Ctrl+S save  Esc cancel"),
    "rating.1": ("重來", "Again"),
    "rating.2": ("困難", "Hard"),
    "rating.3": ("良好", "Good"),
    "rating.4": ("簡單", "Easy"),
    "interval.minutes": ("{n} 分鐘後", "in {n} min"),
    "interval.hours": ("{n} 小時後", "in {n} h"),
    "interval.days": ("{n} 天後", "in {n} days"),
    "interval.now": ("現在", "now"),
    "practice.no_option": ("此題沒有選項 {label}", "This question has no option {label}"),
    # note viewer
    "notes.missing": ("找不到筆記：{link}", "Note not found: {link}"),
    "notes.none": ("此題沒有連結的筆記", "This question links no note"),
    "notes.contents": ("目錄", "Contents"),
    "notes.search_placeholder": (
        "搜尋筆記（Enter 看結果，Esc 關閉）",
        "Search notes (Enter: results, Esc: close)",
    ),
    "notes.no_results": ("找不到符合的段落", "No section matches"),
    "notes.hint": (
        "/ 搜尋　t 目錄　Tab 切換焦點　↑↓ PgUp PgDn 捲動　q 返回",
        "/ search  t contents  Tab focus  ↑↓ PgUp PgDn scroll  q back",
    ),
    "practice.requeued": (
        "已放回本輪，稍後再問一次",
        "Back in this session: you will be asked again",
    ),
    "practice.after_note": (
        "讀完了嗎？按 r 把本題放回本輪再問一次",
        "Read it? Press r to be asked this question again",
    ),
    # keys (help screen and footer)
    "key.answer": ("作答", "Answer"),
    "key.next": ("下一題", "Next"),
    "key.back": ("返回", "Back"),
    "key.help": ("說明", "Help"),
    "key.quit": ("離開", "Quit"),
    "key.start": ("開始練習", "Practise"),
    "key.note": ("開啟筆記", "Open note"),
    "key.close": ("關閉", "Close"),
    "key.theme": ("切換配色", "Theme"),
    "help.title": ("按鍵說明", "Keys"),
    "help.body": (
        "首頁\n"
        "  ↑ ↓        選擇題庫\n"
        "  Enter      開始練習（到期的先，再來新題）\n"
        "  w          練習最弱的五個主題\n"
        "  d          只練到期複習題\n"
        "  s          練習加星號的題目\n"
        "  t          統計：各主題掌握度、到期預測、正確率\n"
        "  e          設定考試日期\n"
        "  b          題目瀏覽：搜尋、篩選、看作答紀錄、試題分析\n"
        "  x          模擬考（計時，交卷後才看答案）\n"
        "  n          瀏覽筆記\n"
        "  q          離開\n"
        "\n"
        "練習\n"
        "  a b c d    作答（也可用 1 2 3 4）\n"
        "  g          作答前標記「猜的」：猜對只算「困難」\n"
        "  1 2 3 4    作答後修改評分：重來／困難／良好／簡單\n"
        "  u          撤銷剛才的答案，重新作答\n"
        "  s          加上或取消星號\n"
        "  m          寫下本題的個人筆記\n"
        "  Enter／n   下一題\n"
        "  o          開啟本題的參考筆記（讀完按 q 回到同一題）\n"
        "  r          把本題放回本輪，稍後再問一次\n"
        "  q／Esc     返回首頁\n"
        "\n"
        "模擬考\n"
        "  a–d 1–4    作答或改答；x 清除\n"
        "  ← →  n p   上一題／下一題\n"
        "  f          標記，稍後再看\n"
        "  v          題號總覽，Enter 跳到該題\n"
        "  s          交卷（先列出未答與標記的題目，再確認）\n"
        "  q          離開畫面（計時不停，可從首頁繼續）\n"
        "\n"
        "筆記\n"
        "  /          搜尋所有筆記（可用中文）\n"
        "  t          顯示或隱藏目錄\n"
        "  Tab        在目錄與內文間切換\n"
        "  q／Esc     返回\n"
        "\n"
        "任何畫面\n"
        "  ?          顯示本說明\n"
        "  F2         切換配色（深色、淺色、高對比）\n"
        "  Ctrl+P     指令選單\n"
        "\n"
        "每一個答案在顯示對錯之前就已寫入資料庫。",
        "Home\n"
        "  Up Down    select a bank\n"
        "  Enter      practise it (due reviews first, then new questions)\n"
        "  w          practise the five weakest topics\n"
        "  d          due reviews only\n"
        "  s          starred questions\n"
        "  t          statistics: topics, due forecast, accuracy\n"
        "  e          set the exam date\n"
        "  b          question browser: search, filter, history, item analysis\n"
        "  x          timed mock exam (answers only after submitting)\n"
        "  n          browse the study notes\n"
        "  q          quit\n"
        "\n"
        "Practice\n"
        "  a b c d    answer (or 1 2 3 4)\n"
        "  g          before answering: I am guessing (a right guess counts as Hard)\n"
        "  1 2 3 4    after answering: change the rating Again/Hard/Good/Easy\n"
        "  u          undo the answer just given and answer again\n"
        "  s          star or unstar\n"
        "  m          write a personal note on this question\n"
        "  Enter / n  next question\n"
        "  o          open this question's study note (q returns to it)\n"
        "  r          ask this question again later in this session\n"
        "  q / Esc    back to home\n"
        "\n"
        "Mock exam\n"
        "  a-d 1-4    answer or change; x clears\n"
        "  Left Right previous / next (also p, n)\n"
        "  f          flag to come back to\n"
        "  v          navigator; Enter jumps\n"
        "  s          submit (lists unanswered and flagged, then confirms)\n"
        "  q          leave the screen (the clock keeps running)\n"
        "\n"
        "Notes\n"
        "  /          search all notes\n"
        "  t          show or hide the contents\n"
        "  Tab        move between contents and text\n"
        "  q / Esc    back\n"
        "\n"
        "Anywhere\n"
        "  ?          this help\n"
        "  F2         switch theme (dark, light, high contrast)\n"
        "  Ctrl+P     command palette\n"
        "\n"
        "Every answer is written to the database before its feedback is shown.",
    ),
    # CLI
    "cli.no_bank": ("找不到題庫：{bank}", "No such bank: {bank}"),
    "cli.no_topic": ("找不到主題：{topic}", "No such topic: {topic}"),
    "cli.bad_date": (
        "不是有效的日期：{value}（格式 YYYY-MM-DD，例如 2027-05-16）",
        "Not a valid date: {value} (YYYY-MM-DD, e.g. 2027-05-16)",
    ),
    "cli.bad_number": ("數字必須 ≥ 0：{value}", "Must be ≥ 0: {value}"),
    "cli.saved": ("已儲存", "Saved"),
    "db.newer": (
        "資料庫的結構版本 {rev} 比這個 quizapp 新：請升級 quizapp"
        "（pip install -U quizapp），資料庫未被更動。",
        "The database is at schema revision {rev}, newer than this quizapp: upgrade quizapp "
        "(pip install -U quizapp). The database was not touched.",
    ),
    "db.corrupt": (
        "資料庫檔案 {file} 已損毀或不是 quizapp 的資料庫，沒有寫入任何東西。{hint}",
        "The database file {file} is damaged or not a quizapp database; nothing was written. "
        "{hint}",
    ),
    "db.restore_hint": (
        "可用 quizapp db restore {backup} 從最近的備份還原。",
        "Restore the latest backup with: quizapp db restore {backup}",
    ),
    "db.no_backup": (
        "找不到自動備份；可用 --db 指定其他檔案重新開始。",
        "No automatic backup found; use --db to start with another file.",
    ),
    "db.readonly": (
        "資料庫 {file} 是唯讀的（或其資料夾不可寫入）：請檢查權限，或用 --db 指定可寫入的檔案。",
        "The database {file} (or its folder) is read-only: check permissions or pass --db.",
    ),
    "db.full": (
        "磁碟已滿，無法寫入資料庫；最後一個動作沒有儲存，先前的資料都還在。請清出空間後再試。",
        "The disk is full: the last action was not saved, earlier data is intact. Free space.",
    ),
    "db.locked": (
        "資料庫正被另一個程式長時間占用，請稍後再試。",
        "The database is busy in another program for too long: try again.",
    ),
    "db.other": ("資料庫錯誤：{error}", "Database error: {error}"),
    "home.loading": ("正在計算今日進度…", "Working out today's progress…"),
    "db.unreachable": (
        "連不上資料庫伺服器（{error}）：請檢查網路，或請老師確認伺服器正在執行。",
        "Cannot reach the database server ({error}): check the network, or ask your instructor"
        " whether the server is running.",
    ),
    "tui.db_not_saved": (
        "這個動作沒有儲存，之前的作答都還在。可以再試一次，或按 q 回首頁。",
        "This action was not saved; everything before it is kept. Try again, or press q.",
    ),
    "db.denied": (
        "權限不足：{error}（在課堂資料庫裡，學員只能讀題庫、寫自己的紀錄；請找老師。）",
        "Permission denied: {error} (in a classroom database students read the banks and write"
        " only their own records; ask your instructor.)",
    ),
    "db.classroom_upgrade": (
        "資料庫結構（版本 {rev}）比這個 quizapp 舊，只有資料庫擁有者能升級："
        "請老師執行 quizapp db upgrade。",
        "The database schema ({rev}) is older than this quizapp and only its owner may upgrade"
        " it: ask your instructor to run `quizapp db upgrade`.",
    ),
    "class.not_pg": (
        "課堂模式需要 PostgreSQL：請用 --db postgresql+psycopg://擁有者@主機/資料庫",
        "Classroom mode needs PostgreSQL: pass --db postgresql+psycopg://owner@host/database",
    ),
    "class.public_create": (
        "學員群組仍可在 public 結構描述建立物件（PostgreSQL 15 之前的預設）：請以超級使用者執行"
        " classroom init，或先執行 REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        "The students' group can still create objects in schema public (the default before"
        " PostgreSQL 15): run classroom init as a superuser, or first run"
        " REVOKE CREATE ON SCHEMA public FROM PUBLIC",
    ),
    "class.tampered": ("⚠ 儲存的分數與作答不符", "⚠ stored score differs from the answers"),
    "class.not_init": (
        "這個資料庫還沒有設定課堂：請先以擁有者身分執行 quizapp classroom init",
        "This database has no classroom yet: run `quizapp classroom init` as its owner first",
    ),
    "class.bad_name": (
        "帳號名稱「{name}」不可用：只能用小寫英文字母、數字與底線，"
        "且不以數字開頭（例如學號 s1130042）",
        "Login name {name!r} is not allowed: use lowercase letters, digits and _, not starting"
        " with a digit (e.g. a student number, s1130042)",
    ),
    "class.exists": (
        "已有名為「{name}」的資料庫角色",
        "A database role named {name!r} already exists",
    ),
    "class.no_student": ("「{name}」不是這個課堂的學員", "{name!r} is not a student of this class"),
    "class.init_done": (
        "課堂已設定：資料庫 {db}（可重複執行，升級後也會自動套用）",
        "Classroom set up on database {db} (safe to run again; re-applied after upgrades)",
    ),
    "class.init_roles": (
        "學員群組 {students}；老師群組 {inst}",
        "students' group {students}; instructors' group {inst}",
    ),
    "class.catalog_visible": (
        "注意：不是超級使用者，無法隱藏 pg_roles 等角色清單；學員的紀錄仍由列層級安全性隔離。",
        "Note: not a superuser, so the role catalog (pg_roles…) stays readable; students'"
        " records are still isolated by row-level security.",
    ),
    "class.added": (
        "已建立學員 {name}。連線字串只顯示這一次，請交給學員（quizapp --db '…'）：",
        "Student {name} created. The connection URL is shown only now; give it to the student"
        " (quizapp --db '…'):",
    ),
    "class.added_instructor": (
        "已建立老師 {name}。連線字串只顯示這一次：",
        "Instructor {name} created. The connection URL is shown only now:",
    ),
    "class.removed": (
        "已移除 {name} 的登入；其作答紀錄保留在報表中。",
        "Removed {name}'s login; their records stay in the report.",
    ),
    "class.report_title": ("課堂報表（資料庫 {db}）", "Class report (database {db})"),
    "class.col_name": ("學員", "student"),
    "class.col_answers": ("作答", "answers"),
    "class.col_accuracy": ("正確率", "correct"),
    "class.col_due": ("待複習", "due"),
    "class.col_exams": ("模擬考", "mock exams"),
    "class.mock": ("{n} 次，最近 {scores} {verdict}", "{n}, last {scores} {verdict}"),
    "class.passed": ("及格", "passed"),
    "class.failed": ("未及格", "failed"),
    "class.empty": ("（還沒有學員）", "(no students yet)"),
    "db.backup_done": ("已備份到 {file}", "Backed up to {file}"),
    "db.restore_confirm": (
        "用 {backup} 取代目前的資料庫？目前的資料庫會先自動備份。",
        "Replace the current database with {backup}? The current one is backed up first.",
    ),
    "db.restored": (
        "已還原；原本的資料庫備份在 {file}",
        "Restored; the previous database is in {file}",
    ),
    "db.not_sqlite": (
        "這個指令只適用於 SQLite 資料庫",
        "This command works on SQLite databases only",
    ),
    "db.bad_backup": (
        "{file} 不是可用的 quizapp 備份：{why}",
        "{file} is not a usable quizapp backup: {why}",
    ),
    "cli.found": ("找到 {n} 題", "{n} question(s) found"),
    "cli.item_header": (
        "題號       作答數  難易度  鑑別度  答案  各選項人數  警示",
        "key       answers  facility  discr.  key  choices  flags",
    ),
    "cli.diff_added": ("新增", "added"),
    "cli.diff_updated": ("修改", "changed"),
    "cli.diff_retired": ("停用", "retired"),
    "cli.diff_restored": ("恢復", "restored"),
    "cli.diff_reset": ("答案改變，複習進度重設", "answer changed, cards reset"),
    "cli.remove_confirm": (
        "停用題庫 {bank} 的所有題目？作答紀錄會保留。",
        "Retire every question of {bank}? History stays.",
    ),
    "cli.remove_needs_yes": (
        "要停用 {bank} 請加上 --yes（非互動模式）",
        "Add --yes to remove {bank} non-interactively",
    ),
    "cli.removed": ("已停用 {bank} 的 {n} 題", "Retired {n} questions of {bank}"),
    "stats.exam": ("考試日期：{date}（還有 {days} 天）", "Exam date: {date} ({days} days left)"),
    "stats.today": (
        "今日：已答 {answered}／目標 {goal}　到期 {due}　新題 {new_available}　連續 {streak} 天",
        "Today: {answered}/{goal} answered  due {due}  new {new_available}  streak {streak} days",
    ),
    "stats.readiness": (
        "{subject} {title}：預估 {score} 分（{low}–{high}，單科最低 {mark}）{verdict}"
        "　已學 {seen}/{total} 題",
        "{subject} {title}: expected {score} ({low}–{high}, subject minimum {mark}) {verdict}"
        "  studied {seen}/{total}",
    ),
    "stats.pass": ("✓ 達標", "✓ on track"),
    "stats.no_exam": (
        "考試日期：尚未設定（quizapp config exam-date YYYY-MM-DD）",
        "Exam date: not set (quizapp config exam-date YYYY-MM-DD)",
    ),
    "stats.below": ("✗ 未達", "✗ below"),
    "stats.topic_header": (
        "主題                        已學/總數  正確率  近期  記憶率 考試日 遺忘",
        "topic                       seen/total  acc.  recent  R now  R exam lapses",
    ),
    "stats.forecast": ("未來到期：", "Due soon: "),
    "cli.imported": (
        "{bank}：新增 {added}、更新 {updated}、未變 {unchanged}、停用 {retired}",
        "{bank}: {added} added, {updated} updated, {unchanged} unchanged, {retired} retired",
    ),
    "cli.dry_run": ("（試跑：資料庫未變更）", "(dry run: database unchanged)"),
    "cli.import_failed": (
        "匯入失敗：發現 {n} 個錯誤，資料庫未變更。",
        "Import failed: {n} error(s); the database is unchanged.",
    ),
    "cli.valid": ("{file}：{n} 題，沒有錯誤", "{file}: {n} questions, no errors"),
    "cli.summary": (
        "共 {files} 個檔案：{errors} 個錯誤、{warnings} 個警告",
        "{files} file(s): {errors} error(s), {warnings} warning(s)",
    ),
    "cli.db_at": ("資料庫已在最新版本：{rev}（{url}）", "Database is at {rev} ({url})"),
}


def describe_interval(delta: dt.timedelta) -> str:
    """A short human interval: '10 分鐘後', '3 天後'."""
    minutes = round(delta.total_seconds() / 60)
    if minutes < 1:
        return t("interval.now")
    if minutes < 60:
        return t("interval.minutes", n=minutes)
    if minutes < 24 * 60:
        return t("interval.hours", n=round(minutes / 60))
    return t("interval.days", n=round(minutes / 1440))


def set_lang(lang: str) -> None:
    """Choose the language of every later ``t()`` call: ``zh-TW`` or ``en``."""
    global _LANG
    if lang not in ("zh-TW", "en"):
        raise ValueError(f"unknown language {lang!r}")
    _LANG = lang


def get_lang() -> str:
    """The current language."""
    return _LANG


def t(key: str, **fields: object) -> str:
    """The string ``key`` in the current language, formatted with ``fields``."""
    zh, en = CATALOG[key]
    text = zh if _LANG == "zh-TW" else en
    return text.format(**fields) if fields else text
