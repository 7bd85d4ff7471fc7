"""Files that hold other files: archives (zip, tar, gzip, 7z) and e-mail (.eml, .msg) with their attachments."""
