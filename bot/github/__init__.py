"""The GitHub adapter: githubkit clients per installation, paced and retried safely, and the
helpers the jobs use (workspace over the Git Data API, own comments, repo config, labels)."""
