"""Errors in a run's output come back as textDocument/publishDiagnostics at the right place."""

import unittest

from airlock_client import ServerTestCase


class Diagnostics(ServerTestCase):
    def diagnostics_for(self, uri, after=0):
        return [m["params"] for m in self.server.notifications[after:]
                if m["method"] == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri]

    def test_snippet_traceback_maps_to_the_source_document_and_a_clean_run_clears_it(self):
        ws = self.workspace()
        doc = "file:///home/user/chat.md"
        code = "def ratio(a, b):\n    return a / b\n\nprint(ratio(1, 0))\n"
        response, _, err = self.server.execute(workspaceFolder=ws, code=code, language="python",
                                               source={"uri": doc, "line": 10})
        self.assertEqual(response["result"]["status"], "failed")
        published = self.diagnostics_for(doc)
        self.assertEqual(len(published), 1, err)
        diagnostic = published[0]["diagnostics"][0]
        self.assertEqual(diagnostic["range"]["start"]["line"], 11)
        self.assertEqual(diagnostic["severity"], 1)
        self.assertEqual(diagnostic["source"], "airlock")
        self.assertIn("ZeroDivisionError: division by zero", diagnostic["message"])
        related_lines = [r["location"]["range"]["start"]["line"] for r in diagnostic.get("relatedInformation", [])]
        self.assertIn(13, related_lines)

        count = len(self.server.notifications)
        self.server.execute(workspaceFolder=ws, code="print('fixed')", language="python", source={"uri": doc, "line": 10})
        cleared = self.diagnostics_for(doc, after=count)
        self.assertEqual(cleared, [{"uri": doc, "diagnostics": []}])

    def test_an_exception_group_reports_each_exception_in_it(self):
        ws = self.workspace()
        doc = "file:///home/user/group.md"
        code = ("def check(value):\n    return 1 / value\n\nerrors = []\nfor value in (0, 'a'):\n    try:\n"
                "        check(value)\n    except Exception as error:\n        errors.append(error)\n"
                "raise ExceptionGroup('checks failed', errors)\n")
        response, _, err = self.server.execute(workspaceFolder=ws, code=code, language="python",
                                               source={"uri": doc, "line": 0})
        self.assertEqual(response["result"]["status"], "failed")
        published = self.diagnostics_for(doc)
        self.assertEqual(len(published), 1, err)
        found = sorted((d["range"]["start"]["line"], d["message"].split(":")[0]) for d in published[0]["diagnostics"])
        self.assertEqual(found, [(1, "TypeError"), (1, "ZeroDivisionError"), (9, "ExceptionGroup")])

    def test_workspace_file_errors_map_to_its_uri(self):
        ws = self.workspace({"pkg/util.py": "def explode():\n    raise ValueError('bad value')\n",
                             "main.py": "from pkg.util import explode\nexplode()\n"})
        response, _, err = self.server.execute(workspaceFolder=ws, file="main.py")
        self.assertEqual(response["result"]["status"], "failed")
        util = self.diagnostics_for("file://" + ws + "/pkg/util.py")
        self.assertTrue(util, err)
        self.assertEqual(util[0]["diagnostics"][0]["range"]["start"]["line"], 1)
        self.assertIn("ValueError: bad value", util[0]["diagnostics"][0]["message"])

    def test_c_compile_error_and_javascript_exception(self):
        ws = self.workspace()
        doc = "file:///home/user/snippets.md"
        self.server.execute(workspaceFolder=ws, code="int main(void) {\n  return missing;\n}\n", language="c",
                            source={"uri": doc, "line": 0})
        c = self.diagnostics_for(doc)
        self.assertTrue(c)
        self.assertEqual(c[-1]["diagnostics"][0]["range"]["start"]["line"], 1)
        self.assertIn("missing", c[-1]["diagnostics"][0]["message"])

        js_doc = "file:///home/user/app.md"
        self.server.execute(workspaceFolder=ws, code="const a = 1;\nnotDefined();\n", language="javascript",
                            source={"uri": js_doc, "line": 5})
        js = self.diagnostics_for(js_doc)
        self.assertTrue(js)
        self.assertEqual(js[-1]["diagnostics"][0]["range"]["start"]["line"], 6)
        self.assertIn("ReferenceError", js[-1]["diagnostics"][0]["message"])

    def test_bash_error_line(self):
        ws = self.workspace()
        doc = "file:///home/user/script.md"
        self.server.execute(workspaceFolder=ws, code="echo ok\nnot_a_command_xyz\n", language="bash",
                            source={"uri": doc, "line": 3})
        published = self.diagnostics_for(doc)
        self.assertTrue(published)
        self.assertEqual(published[-1]["diagnostics"][0]["range"]["start"]["line"], 4)


    def test_error_locations_are_utf16_columns(self):
        ws = self.workspace()
        doc = "file:///home/user/columns.md"
        # Before each error: two CJK characters (one UTF-16 unit each) and an emoji (two units).
        cases = [
            ("python", 'x = 1\nlabel = "日本🎉" + )\n', {"line": 5, "character": 17}, "SyntaxError"),
            ("javascript", 'const a = 1;\nconst b = "日本🎉" + ;\n', {"line": 5, "character": 19}, "SyntaxError"),
            ("javascript", 'const s = "日本🎉"; s.missing();\n', {"line": 4, "character": 20}, "TypeError"),
        ]
        for language, code, start, error in cases:
            count = len(self.server.notifications)
            self.server.execute(workspaceFolder=ws, code=code, language=language, source={"uri": doc, "line": 4})
            published = self.diagnostics_for(doc, after=count)
            self.assertTrue(published and published[-1]["diagnostics"], (code, published))
            diagnostic = published[-1]["diagnostics"][0]
            self.assertEqual(diagnostic["range"]["start"], start, code)
            self.assertIn(error, diagnostic["message"])

    def test_a_later_run_replaces_a_compile_error_and_a_clean_run_clears_it(self):
        ws = self.workspace()
        doc = "file:///home/user/program.md"
        self.server.execute(workspaceFolder=ws, language="cpp", source={"uri": doc, "line": 20},
                            code="#include <vector>\nint main() {\n  std::vector<int> v = undefined_name;\n}\n")
        first = self.diagnostics_for(doc)
        self.assertEqual([(d["range"]["start"]["line"], d["severity"], d["source"]) for d in first[-1]["diagnostics"]],
                         [(22, 1, "airlock")], first)
        self.assertIn("undefined_name", first[-1]["diagnostics"][0]["message"])

        count = len(self.server.notifications)
        self.server.execute(workspaceFolder=ws, language="cpp", source={"uri": doc, "line": 20},
                            code="int main() { return nope; }\n")
        replaced = self.diagnostics_for(doc, after=count)
        self.assertEqual([d["range"]["start"]["line"] for d in replaced[-1]["diagnostics"]], [20], replaced)
        self.assertIn("nope", replaced[-1]["diagnostics"][0]["message"])

        count = len(self.server.notifications)
        response, _, _ = self.server.execute(workspaceFolder=ws, language="cpp", source={"uri": doc, "line": 20},
                                             code="int main() {}\n")
        self.assertEqual(response["result"]["status"], "ok")
        self.assertEqual(self.diagnostics_for(doc, after=count), [{"uri": doc, "diagnostics": []}])

if __name__ == "__main__":
    unittest.main()
