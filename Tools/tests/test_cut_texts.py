"""Tools/cut-texts: which lines a short text takes, and where a long line is cut.

Run by Tools/test (python3 -m unittest discover -s Tools/tests).
"""
import os
import subprocess
import sys
import tempfile
import unittest

from tool_module import TOOLS, load

cut_texts = load("cut-texts")


class CutTests(unittest.TestCase):
    def test_whole_lines_from_the_middle_within_the_size(self):
        data = b"".join(b"line %02d\n" % i for i in range(20))  # 8 bytes a line, 160 in all
        # The middle is byte 80, a line start's newline at 87: the text starts at line 11.
        self.assertEqual(cut_texts.cut(data, 20), b"line 11\nline 12\n")
        self.assertEqual(cut_texts.cut(data, 23), b"line 11\nline 12\n")
        self.assertEqual(cut_texts.cut(data, 24), b"line 11\nline 12\nline 13\n")

    def test_a_long_line_is_cut_at_a_character_boundary(self):
        thai = "ภาษาไทย".encode("utf-8")  # three bytes a character
        data = thai * 10 + b"\n"  # one line: no line starts after the middle, so from the start
        text = cut_texts.cut(data, 10)
        self.assertEqual(text, thai[:9])
        text.decode("utf-8")

    def test_files_are_written_by_stem_and_size(self):
        with tempfile.TemporaryDirectory() as folder:
            source = os.path.join(folder, "ui-xx.txt")
            with open(source, "wb") as f:
                f.write("".join("строка %d\n" % i for i in range(100)).encode("utf-8"))
            out = os.path.join(folder, "out")
            subprocess.run([sys.executable, os.path.join(TOOLS, "cut-texts"), "--sizes", "50,200", "--out", out, source],
                           check=True, capture_output=True)
            self.assertEqual(sorted(os.listdir(out)), ["ui-xx-200.txt", "ui-xx-50.txt"])
            for name, size in (("ui-xx-50.txt", 50), ("ui-xx-200.txt", 200)):
                with open(os.path.join(out, name), "rb") as f:
                    text = f.read()
                self.assertTrue(0 < len(text) <= size)
                self.assertTrue(text.endswith(b"\n"))


if __name__ == "__main__":
    unittest.main()
