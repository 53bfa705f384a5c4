# Example Corp's reports bucket and the role that reads it, as a pull request
# changes them. `perimeter prove perimeter.yaml` reads the plan terraform made
# from these sources (plan.json; see README.md).

terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.100.0" }
  }
}

provider "aws" {
  region = "eu-west-1"
  # planned offline: no credentials, no API call (the account is given below)
  access_key                  = "example"
  secret_key                  = "example"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

variable "account_id" {
  default = "111122223333"
}

resource "aws_s3_bucket" "reports" {
  bucket = "example-corp-reports"
}

data "aws_iam_policy_document" "reports" {
  statement {
    sid       = "ReportReaders"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.reports.arn}/*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    # meant: the reports-reader role of our own accounts; the account is a wildcard
    condition {
      test     = "ArnLike"
      variable = "aws:PrincipalArn"
      values   = ["arn:aws:iam::*:role/reports-reader"]
    }
  }
}

resource "aws_s3_bucket_policy" "reports" {
  bucket = aws_s3_bucket.reports.id
  policy = data.aws_iam_policy_document.reports.json
}

resource "aws_iam_role" "reports_reader" {
  name = "reports-reader"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${var.account_id}:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "read_reports" {
  name = "read-reports"
  role = aws_iam_role.reports_reader.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = "arn:aws:s3:::example-corp-reports/*"
    }]
  })
}
