// Names for languages as the editor, Markdown fences and file names spell them, mapped to Airlock's names.

const byAlias: Record<string, string> = {
  python: 'python', python3: 'python', py: 'python', py3: 'python',
  javascript: 'javascript', js: 'javascript', node: 'javascript', nodejs: 'javascript', mjs: 'javascript',
  cjs: 'javascript', javascriptreact: 'javascript',
  bash: 'bash', shellscript: 'bash', shell: 'bash', zsh: 'bash', console: 'bash',
  sh: 'sh', dash: 'sh', posix: 'sh',
  c: 'c', h: 'c',
  cpp: 'cpp', 'c++': 'cpp', cc: 'cpp', cxx: 'cpp', hpp: 'cpp',
  typescript: 'typescript', ts: 'typescript',
  ruby: 'ruby', rb: 'ruby', perl: 'perl', pl: 'perl', lua: 'lua', go: 'go', rust: 'rust', rs: 'rust',
};

// Airlock's name for an editor language id, a fence info string or a file extension (with or without the dot).
// Unknown names pass through lower-cased: the server's language table may know them (user-added languages).
export function airlockLanguage(name: string): string | undefined {
  const key = name.trim().toLowerCase().replace(/^\./, '');
  if (key === '' || key === 'plaintext' || key === 'text' || key === 'markdown') return undefined;
  return byAlias[key] ?? key;
}

export function languageOfFileName(fileName: string): string | undefined {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? airlockLanguage(fileName.slice(dot + 1)) : undefined;
}
