#!/usr/bin/env python3
"""Counts tokens in a JSON Lines dataset with Apache Spark: `bpe count --jsonl-field FIELD` is the
map step (`rdd.pipe`), so each executor streams its partition through one `bpe` process, which
adds `FIELD_tokens` to every record and leaves the rest of the line as it was.

Local (what Tools/test runs, with Java 17 and `pip install pyspark`):

    python3 Tools/spark/count_tokens.py --master 'local[2]' --bpe .build/release/bpe \\
        --input data.jsonl --output counted/ --field text --partitions 4

On a cluster, ship `bpe` (built with --static-swift-stdlib, so it needs only glibc and
libpcre2-8 on the executors) and its vocabulary in one archive, and name them relative to the
executor's working directory (README: "Counting a dataset with Spark"):

    spark-submit --archives bpe-tools.tgz#tools Tools/spark/count_tokens.py \\
        --bpe tools/bpe --vocab-dir tools --jobs 1 --input hdfs:///data/*.jsonl --output hdfs:///counted --field text

Prints one line at the end: records, tokens and seconds.
"""
import argparse
import shlex
import time

from pyspark import SparkConf, SparkContext


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bpe", required=True, help="the bpe binary, as the executors see it")
    parser.add_argument("--input", required=True, help="JSON Lines file(s), any path Spark reads")
    parser.add_argument("--output", required=True, help="folder for the counted records (saveAsTextFile)")
    parser.add_argument("--field", default="text", help="the string field to count (default: text)")
    parser.add_argument("--encoding", "-e", help="a built-in encoding (default: bpe's, o200k_base)")
    parser.add_argument("--model", "-m", help="a model name instead of --encoding")
    parser.add_argument("--vocab-dir", help="folder with the vocabulary file, as the executors see it")
    parser.add_argument("--partitions", type=int, default=0, help="at least this many partitions")
    parser.add_argument("--jobs", type=int, default=1,
                        help="threads per bpe process (default 1: Spark already runs one task per executor core)")
    parser.add_argument("--master", help="Spark master (default: spark-submit's)")
    args = parser.parse_args()

    conf = SparkConf().setAppName("bpe count").set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false")
    if args.master:
        conf = conf.setMaster(args.master)
    sc = SparkContext(conf=conf)
    sc.setLogLevel("ERROR")
    command = [args.bpe, "count", "--jsonl-field", args.field, "--jobs", str(args.jobs)]
    if args.encoding:
        command += ["-e", args.encoding]
    if args.model:
        command += ["-m", args.model]
    if args.vocab_dir:
        command += ["--vocab-dir", args.vocab_dir]
    started = time.time()
    lines = sc.textFile(args.input, minPartitions=args.partitions or None)
    # checkCode: a record bpe rejects (not JSON, field missing) fails the job instead of losing lines.
    counted = lines.pipe(shlex.join(command), checkCode=True).cache()
    counted.saveAsTextFile(args.output)
    key = '"' + args.field + '_tokens":'
    totals = counted.map(lambda line: int(line[line.rindex(key) + len(key):].split("}")[0].split(",")[0])).aggregate(
        (0, 0), lambda acc, n: (acc[0] + 1, acc[1] + n), lambda a, b: (a[0] + b[0], a[1] + b[1]))
    print(f"{totals[0]} records, {totals[1]} tokens, {time.time() - started:.1f} s, "
          f"{lines.getNumPartitions()} partitions")
    sc.stop()


if __name__ == "__main__":
    main()
