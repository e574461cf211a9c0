from django.db import models


class ExtractedText(models.Model):
    """The text of one PDF document, kept so a reindex does not parse every PDF again."""

    document = models.OneToOneField(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    # The text is reused only while the file is the same (Wagtail keeps a hash of its content).
    file_hash = models.CharField(max_length=40, blank=True, db_index=True)
    text = models.TextField(blank=True)
    truncated = models.BooleanField(default=False)
    error = models.CharField(max_length=500, blank=True)
    extracted_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "extracted PDF text"

    def __str__(self) -> str:
        return f"text of document {self.document_id}"


class CachedEmbedding(models.Model):
    """One text's vector by one model, kept so a reindex does not embed unchanged text again.

    The key is the SHA-256 of the model's name and the text: a changed title, summary or PDF
    chunk is a new key, an unchanged one is found.
    """

    key = models.CharField(max_length=64, primary_key=True)
    # float32, little-endian, as many numbers as the model's dimensions.
    vector = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "cached embedding"

    def __str__(self) -> str:
        return f"embedding {self.key[:12]}"


class EmbedderFailure(models.Model):
    """The last time the index worker could not embed (the model failed to load or run), for
    `search_status`: the pages it indexed meanwhile have no vectors until a reconcile."""

    message = models.CharField(max_length=500)
    failed_at = models.DateTimeField()
    # Documents indexed without vectors since the failure.
    documents = models.PositiveIntegerField(default=0)
    recovered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "embedder failure"

    def __str__(self) -> str:
        return f"embedder failure at {self.failed_at:%Y-%m-%d %H:%M}"
