"""Each chat's model of what it likes (pure computation: numpy, scipy and scikit-learn).

``features`` turns papers into tf-idf rows over a vocabulary fitted on the stored papers;
``model`` trains a linear classifier per chat on those rows and scores papers with it; ``batch``
scores one digest for many chats at once. Nothing here reads files, the database or the clock:
the store hands in papers and serialised blobs and keeps what comes out. Only this package
imports numpy, scipy and scikit-learn, and the store imports it only when it ranks, so the
command line starts without them.
"""
