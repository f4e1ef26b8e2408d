// The toon_als relevance grammar of checker/vragen.toml, evaluated in the page so questions show or hide
// at once, before the engine has loaded. Mirrors checker.questions (parse_toon_als, relevant_answers).
// Answers here are strings as in the URL fragment: option values, and "ja"/"nee" for yes/no questions.

// "a=x|y & b!=ja" -> [{key: "a", negated: false, values: ["x", "y"]}, {key: "b", negated: true, values: ["ja"]}]
export function parseToonAls(text) {
  if (!text || !text.trim()) return [];
  return text.split("&").map((raw) => {
    const part = raw.trim();
    const negated = part.includes("!=");
    const [key, rest] = part.split(negated ? "!=" : "=", 2);
    return { key: key.trim(), negated, values: (rest || "").split("|").map((v) => v.trim()) };
  });
}

// An unanswered key fails key=value and satisfies key!=value.
export function holds(clauses, answers) {
  return clauses.every(({ key, negated, values }) => {
    const matched = Object.hasOwn(answers, key) && values.includes(answers[key]);
    return negated ? !matched : matched;
  });
}

// One pass top to bottom: only answers to relevant questions count, and they decide later relevance.
// questions: [{key, clauses}] in display order; answers: {key: string}. Returns {kept, visible}.
export function relevance(questions, answers) {
  const kept = {};
  const visible = new Set();
  for (const q of questions) {
    if (!holds(q.clauses, kept)) continue;
    visible.add(q.key);
    if (Object.hasOwn(answers, q.key)) kept[q.key] = answers[q.key];
  }
  return { kept, visible };
}
