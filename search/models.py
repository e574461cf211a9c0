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
