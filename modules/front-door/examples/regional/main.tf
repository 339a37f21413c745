# An existing HTTP API (e.g. modules/http-api's api_id) served at api.example.com through an
# API Gateway regional custom domain, certificate created and DNS-validated in the zone.
provider "aws" {
  region = "eu-west-1"
}

variable "api_endpoint" {
  type        = string
  description = "Default endpoint of the HTTP API to serve (modules/http-api output api_endpoint)."
  default     = "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com"
}

variable "zone_id" {
  type        = string
  description = "Route 53 hosted zone of example.com."
  default     = "Z0123456789ABCDEFGHIJ"
}

module "front_door" {
  source = "../.."

  name            = "example-api"
  api_endpoint    = var.api_endpoint
  domain_name     = "api.example.com"
  route53_zone_id = var.zone_id
}

output "url" {
  description = "Base URL of the API."
  value       = module.front_door.url
}
