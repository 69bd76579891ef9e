"""Lead image uploads: checked by content, limits, EXIF stripped, renditions,
srcset and OpenGraph (SECURITY-TESTS T-50 to T-54)."""

import io
import struct
import zlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from khabar.news.models import Article

from .helpers import ADD_URL, change_url, draft, form_data, jpeg_bytes, login, png_bytes

pytestmark = pytest.mark.django_db
IMAGE_TEXT = {
    "image_alt": "صورة الوزير في المؤتمر",
    "image_caption": "الوزير يتحدث",
    "image_credit": "تصوير: خبر",
}


def stored_files(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def bomb_png(width=20_000, height=20_000) -> bytes:
    """A few hundred bytes that declare 20000x20000 pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (1000, 600), (10, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0xA431] = "SERIAL-12345"  # BodySerialNumber
    exif[0x8825] = {1: "N", 2: (33.0, 18.0, 0.0), 3: "E", 4: (44.0, 23.0, 0.0)}  # GPS
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def upload(client, content: bytes, name="photo.jpg", article=None, **extra):
    url = change_url(article) if article else ADD_URL
    data = {**form_data(article, **IMAGE_TEXT), **extra}
    data["image_upload"] = SimpleUploadedFile(name, content, content_type="image/jpeg")
    return client.post(url, data)


def test_good_upload_is_reencoded_into_renditions_with_generated_names(client, reporter, _media_in_tmp):
    login(client, reporter)
    response = upload(client, png_bytes(2000, 1000), name="../../صورة الوزير\u202egpj.exe.jpg")
    assert response.status_code == 302
    article = Article.objects.get(headline="خبر جديد من المراسل")
    widths = [r["width"] for r in article.image_renditions]
    assert widths == [480, 800, 1200, 1600]
    assert [r["height"] for r in article.image_renditions] == [240, 400, 600, 800]
    files = stored_files(_media_in_tmp)
    assert len(files) == 4
    for path in files:
        assert path.resolve().is_relative_to(_media_in_tmp.resolve())
        assert "الوزير" not in path.name and "exe" not in path.name and path.suffix == ".jpg"
        with Image.open(path) as image:
            assert image.format == "JPEG"
    assert article.image.name == article.image_renditions[-1]["name"]


def test_small_images_are_not_upscaled(client, reporter):
    login(client, reporter)
    assert upload(client, png_bytes(700, 350)).status_code == 302
    article = Article.objects.get(headline="خبر جديد من المراسل")
    assert [r["width"] for r in article.image_renditions] == [480, 700]


def test_exif_gps_and_serial_are_stripped(client, reporter, _media_in_tmp):
    login(client, reporter)
    assert upload(client, jpeg_with_gps()).status_code == 302
    for path in stored_files(_media_in_tmp):
        with Image.open(path) as image:
            exif = image.getexif()
            assert not exif and 0x8825 not in exif
        assert b"SERIAL-12345" not in path.read_bytes() and b"SecretCam" not in path.read_bytes()


def test_transparent_png_lies_on_white_not_black(client, reporter, _media_in_tmp):
    buffer = io.BytesIO()
    Image.new("RGBA", (600, 300), (0, 0, 0, 0)).save(buffer, "PNG")
    login(client, reporter)
    assert upload(client, buffer.getvalue()).status_code == 302
    with Image.open(stored_files(_media_in_tmp)[0]) as image:
        assert image.convert("RGB").getpixel((10, 10)) > (240, 240, 240)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"this is a text file, not a picture\n" * 20, "الملف ليس صورة"),
        (b"<html><script>alert(1)</script></html>", "الملف ليس صورة"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "الملف ليس صورة"),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "الملف ليس صورة"),
        (b"GIF89a<script>alert(1)</script>", "الملف ليس صورة"),
        (bomb_png(), "أبعاد الصورة كبيرة جداً"),
        (bomb_png(9000, 9000), "أبعاد الصورة كبيرة جداً"),
        (png_bytes(800, 400)[:200], "الصورة تالفة أو ناقصة"),
    ],
    ids=[
        "text-renamed-jpg",
        "html",
        "svg",
        "pdf",
        "gif-polyglot",
        "20000x20000-png",
        "81-megapixels",
        "truncated",
    ],
)
def test_bad_uploads_are_refused_with_a_clear_message_and_nothing_is_stored(
    client, reporter, _media_in_tmp, content, message, settings, monkeypatch
):
    article = draft(reporter)
    login(client, reporter)
    decoded = []  # pixel counts of every image PIL actually decoded
    real_load = Image.Image.load

    def load(image):
        decoded.append(image.size[0] * image.size[1])
        return real_load(image)

    monkeypatch.setattr(Image.Image, "load", load)
    response = upload(client, content, article=article, headline="يجب ألا يُحفظ")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert stored_files(_media_in_tmp) == []
    article.refresh_from_db()
    assert article.headline != "يجب ألا يُحفظ" and not article.image and article.version == 1
    # Refused from the header: nothing over the limit was ever decoded.
    assert all(pixels <= settings.NEWSROOM_IMAGE_MAX_PIXELS for pixels in decoded)


def test_oversized_file_is_refused_before_decoding(client, reporter, _media_in_tmp, settings):
    login(client, reporter)
    big = jpeg_bytes(200, 100) + b"\0" * (settings.NEWSROOM_IMAGE_MAX_BYTES + 1)
    response = upload(client, big)
    assert response.status_code == 200
    assert "حجم الملف أكبر من المسموح (10 ميغابايت)" in response.content.decode()
    assert stored_files(_media_in_tmp) == [] and not Article.objects.exists()


def test_png_with_appended_script_is_served_as_a_clean_image(client, reporter, _media_in_tmp):
    login(client, reporter)
    assert upload(client, png_bytes(600, 300) + b"<script>alert(1)</script>").status_code == 302
    for path in stored_files(_media_in_tmp):
        assert b"<script" not in path.read_bytes()


def test_alt_caption_and_credit_are_required_with_an_image(client, reporter, _media_in_tmp):
    login(client, reporter)
    data = {**form_data(), "image_upload": SimpleUploadedFile("a.png", png_bytes(600, 300))}
    response = client.post(ADD_URL, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "النص البديل مطلوب مع الصورة." in html and "حقوق الصورة مطلوب مع الصورة." in html
    assert "التعليق مطلوب مع الصورة." in html
    assert stored_files(_media_in_tmp) == []


def test_article_page_serves_srcset_sizes_dimensions_and_og_image(client, reporter, _media_in_tmp):
    login(client, reporter)
    assert upload(client, png_bytes(1600, 900)).status_code == 302
    article = Article.objects.get(headline="خبر جديد من المراسل")
    article.status, article.published_at = Article.Status.PUBLISHED, timezone.now() - timedelta(minutes=5)
    article.save()
    client.logout()
    html = client.get(article.get_absolute_url()).content.decode()
    largest = article.image_renditions[-1]
    url = f"/media/{largest['name']}"
    assert f'<img src="{url}" srcset="/media/{article.image_renditions[0]["name"]} 480w' in html
    assert 'sizes="(max-width: 48rem) 100vw, 46rem" width="1600" height="900"' in html
    assert f'alt="{IMAGE_TEXT["image_alt"]}"' in html
    assert f'<meta property="og:image" content="http://testserver{url}">' in html
    assert '<meta property="og:image:width" content="1600">' in html
    assert '<meta property="og:image:height" content="900">' in html
    with Image.open(_media_in_tmp / largest["name"]) as image:
        assert image.size == (1600, 900)
