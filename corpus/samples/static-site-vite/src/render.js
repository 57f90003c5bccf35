export function render(topics) {
  return '<ul>' + topics.map((t) => `<li>${t}</li>`).join('') + '</ul>'
}
