"""The packaged template's security settings, and its agreement with what the code expects of each resource."""

from __future__ import annotations

import json
from typing import Any, cast
from xml.etree import ElementTree

import boto3
import pytest
from botocore.config import Config

from chalicelib.adapters.s3 import STATE_TAG, DocumentStorage
from local import bootstrap

Template = dict[str, Any]

FUNCTIONS = {"APIHandler", "RecordUploads", "SendNotifications"}
# Each function's SQS source: the stack's queue, not one named at packaging time.
SQS_SOURCES = {"RecordUploads": "UploadsQueue", "SendNotifications": "NotificationsQueue"}
# The settings (chalicelib/config.py) that name a resource or a deployment parameter.
WIRED_SETTINGS = (
    "TABLE_NAME",
    "BUCKET_NAME",
    "UPLOADS_QUEUE",
    "NOTIFICATIONS_QUEUE",
    "SENDER_EMAIL",
    "TEAM_EMAILS",
    "STAFF_USER_POOL_ARN",
)


def of_type(template: Template, kind: str) -> dict[str, dict[str, Any]]:
    return {name: resource for name, resource in template["Resources"].items() if resource["Type"] == kind}


def properties(template: Template, name: str) -> dict[str, Any]:
    found: dict[str, Any] = template["Resources"][name]["Properties"]
    return found


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def statements(document: dict[str, Any]) -> list[dict[str, Any]]:
    return as_list(document["Statement"])


def when(template: Template, value: Any, **parameters: str) -> Any:
    """A value with its Fn::If settled for these parameter values (conditions are Fn::Equals of a Ref)."""
    if isinstance(value, dict) and "Fn::If" in value:
        condition, if_true, if_false = value["Fn::If"]
        ref, expected = template["Conditions"][condition]["Fn::Equals"]
        actual = parameters.get(ref["Ref"], template["Parameters"][ref["Ref"]].get("Default"))
        return if_true if actual == expected else if_false
    return value


def test_three_functions_on_python_312_each_with_a_role_of_its_own(template: Template) -> None:
    functions = of_type(template, "AWS::Serverless::Function")
    assert set(functions) == FUNCTIONS  # no development authorizer function, nothing unaccounted for
    roles = of_type(template, "AWS::IAM::Role")
    role_of = {name: function["Properties"]["Role"]["Fn::GetAtt"] for name, function in functions.items()}
    for name, function in functions.items():
        assert function["Properties"]["Runtime"] == "python3.12", name
        assert role_of[name][0] in roles, name
        assert role_of[name][1] == "Arn", name
    assert len({role for role, _ in role_of.values()}) == len(functions)


def test_every_role_has_one_policy_naming_its_actions_and_resources(template: Template) -> None:
    roles = of_type(template, "AWS::IAM::Role")
    policies = of_type(template, "AWS::IAM::Policy").values()
    for role in roles.values():
        assert not {"Policies", "ManagedPolicyArns"} & set(role["Properties"])
    attached = [ref["Ref"] for policy in policies for ref in policy["Properties"]["Roles"]]
    assert sorted(attached) == sorted(roles)
    for policy in policies:
        for statement in statements(policy["Properties"]["PolicyDocument"]):
            assert statement["Effect"] == "Allow"
            assert all("*" not in action for action in as_list(statement["Action"])), statement
            assert all(resource != "*" for resource in as_list(statement["Resource"])), statement


def test_resource_policies_grant_no_wildcard_actions(template: Template) -> None:
    documents = [
        *(resource["Properties"]["PolicyDocument"] for resource in of_type(template, "AWS::S3::BucketPolicy").values()),
        *(resource["Properties"]["PolicyDocument"] for resource in of_type(template, "AWS::SQS::QueuePolicy").values()),
    ]
    allowed = [statement for document in documents for statement in statements(document)]
    allowed = [statement for statement in allowed if statement["Effect"] == "Allow"]
    assert allowed
    assert all("*" not in action for statement in allowed for action in as_list(statement["Action"]))


def test_table_is_on_demand_recoverable_encrypted_with_the_stack_key_and_protected_in_prod(template: Template) -> None:
    (name,) = of_type(template, "AWS::DynamoDB::Table")
    table = properties(template, name)
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    key = table["SSESpecification"]["KMSMasterKeyId"]["Ref"]
    assert template["Resources"][key]["Type"] == "AWS::KMS::Key"
    assert table["SSESpecification"]["SSEEnabled"] is True
    assert table["SSESpecification"]["SSEType"] == "KMS"
    assert when(template, table["DeletionProtectionEnabled"]) is True  # the default stage is prod
    assert when(template, table["DeletionProtectionEnabled"], Stage="prod") is True
    assert when(template, table["DeletionProtectionEnabled"], Stage="dev") is False
    assert template["Resources"][name]["DeletionPolicy"] == "Retain"


class RecordingDynamoDB:
    """Takes local/bootstrap.py's calls, to compare the emulator's table with the template's."""

    def __init__(self) -> None:
        self.calls: dict[str, dict[str, Any]] = {}

    def list_tables(self) -> dict[str, list[str]]:
        return {"TableNames": []}

    def create_table(self, **request: Any) -> None:
        self.calls["create_table"] = request

    def update_time_to_live(self, **request: Any) -> None:
        self.calls["update_time_to_live"] = request


def test_table_has_the_keys_indexes_and_ttl_the_code_uses(template: Template) -> None:
    recorded = RecordingDynamoDB()
    bootstrap.create_table(cast(Any, recorded), "table")
    expected = recorded.calls["create_table"]
    (name,) = of_type(template, "AWS::DynamoDB::Table")
    table = properties(template, name)

    def by_name(definitions: list[dict[str, Any]], key: str) -> dict[str, Any]:
        return {definition[key]: definition for definition in definitions}

    assert table["KeySchema"] == expected["KeySchema"]
    assert by_name(table["AttributeDefinitions"], "AttributeName") == by_name(
        expected["AttributeDefinitions"], "AttributeName"
    )
    assert by_name(table["GlobalSecondaryIndexes"], "IndexName") == by_name(
        expected["GlobalSecondaryIndexes"], "IndexName"
    )
    ttl = recorded.calls["update_time_to_live"]["TimeToLiveSpecification"]
    assert table["TimeToLiveSpecification"] == {"AttributeName": ttl["AttributeName"], "Enabled": True}


def test_bucket_is_private_encrypted_with_the_stack_key_versioned_and_tls_only(template: Template) -> None:
    (name,) = of_type(template, "AWS::S3::Bucket")
    bucket = properties(template, name)
    assert bucket["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }
    (rule,) = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    key, attribute = rule["ServerSideEncryptionByDefault"]["KMSMasterKeyID"]["Fn::GetAtt"]
    assert template["Resources"][key]["Type"] == "AWS::KMS::Key"
    assert attribute == "Arn"
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}

    (policy,) = of_type(template, "AWS::S3::BucketPolicy").values()
    assert policy["Properties"]["Bucket"] == {"Ref": name}
    denials = [
        statement
        for statement in statements(policy["Properties"]["PolicyDocument"])
        if statement["Effect"] == "Deny"
        and statement.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport") == "false"
    ]
    assert len(denials) == 1
    assert denials[0]["Principal"] == "*"
    assert denials[0]["Action"] == "s3:*"
    assert denials[0]["Resource"] == [{"Fn::GetAtt": [name, "Arn"]}, {"Fn::Sub": f"${{{name}.Arn}}/*"}]


def test_bucket_expires_uploads_still_tagged_as_presigned_and_old_versions(template: Template) -> None:
    # The tag the upload forms really carry (signed locally: no AWS call).
    s3 = boto3.client(
        "s3",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(signature_version="s3v4"),
    )
    form = DocumentStorage(s3, "bucket").presign_upload("referrals/r/0", "application/pdf", 10, 60)
    tag = ElementTree.fromstring(form["fields"]["tagging"]).find("TagSet/Tag")
    assert tag is not None
    assert tag.findtext("Key") == STATE_TAG

    (name,) = of_type(template, "AWS::S3::Bucket")
    rules = properties(template, name)["LifecycleConfiguration"]["Rules"]
    tagged = [rule for rule in rules if rule.get("TagFilters")]
    assert len(tagged) == 1
    assert tagged[0]["TagFilters"] == [{"Key": tag.findtext("Key"), "Value": tag.findtext("Value")}]
    assert tagged[0]["Status"] == "Enabled"
    assert tagged[0]["ExpirationInDays"] == {"Ref": "UnsubmittedUploadDays"}
    assert template["Parameters"]["UnsubmittedUploadDays"]["Type"] == "Number"
    noncurrent = [rule for rule in rules if "NoncurrentVersionExpiration" in rule]
    assert len(noncurrent) == 1
    assert noncurrent[0]["Status"] == "Enabled"


def test_bucket_cors_admits_the_form_origin_alone(template: Template) -> None:
    (name,) = of_type(template, "AWS::S3::Bucket")
    (rule,) = properties(template, name)["CorsConfiguration"]["CorsRules"]
    assert rule["AllowedMethods"] == ["POST"]
    (origin,) = rule["AllowedOrigins"]
    assert when(template, origin, FormOrigin="https://referrals.example") == {"Ref": "FormOrigin"}
    own_origin = when(template, origin, FormOrigin="")
    assert own_origin == {"Fn::Sub": "https://${RestAPI}.execute-api.${AWS::Region}.${AWS::URLSuffix}"}


def test_uploads_notify_the_uploads_queue_which_admits_this_bucket_alone(template: Template) -> None:
    (name,) = of_type(template, "AWS::S3::Bucket")
    bucket = properties(template, name)
    (notification,) = bucket["NotificationConfiguration"]["QueueConfigurations"]
    assert notification["Event"] == "s3:ObjectCreated:*"
    assert notification["Queue"] == {"Fn::GetAtt": ["UploadsQueue", "Arn"]}
    assert "UploadsQueuePolicy" in as_list(template["Resources"][name]["DependsOn"])

    queue_policy = properties(template, "UploadsQueuePolicy")
    assert queue_policy["Queues"] == [{"Ref": "UploadsQueue"}]
    (statement,) = statements(queue_policy["PolicyDocument"])
    assert statement["Principal"] == {"Service": "s3.amazonaws.com"}
    assert statement["Action"] == "sqs:SendMessage"
    # The bucket is named, not referenced, where a reference would be circular: all spell it alike.
    bucket_name = bucket["BucketName"]["Fn::Sub"]
    assert statement["Condition"]["ArnEquals"]["aws:SourceArn"] == {
        "Fn::Sub": f"arn:${{AWS::Partition}}:s3:::{bucket_name}"
    }
    api_environment = properties(template, "APIHandler")["Environment"]["Variables"]
    assert api_environment["BUCKET_NAME"] == {"Fn::Sub": bucket_name}


def test_queues_are_encrypted_and_hand_failures_to_their_dead_letter_queue(template: Template) -> None:
    queues = of_type(template, "AWS::SQS::Queue")
    assert set(SQS_SOURCES.values()) <= set(queues)
    for queue in queues.values():
        assert queue["Properties"].get("SqsManagedSseEnabled") is True or "KmsMasterKeyId" in queue["Properties"]
    for name in SQS_SOURCES.values():
        queue = properties(template, name)
        redrive = queue["RedrivePolicy"]
        dead_letter, attribute = redrive["deadLetterTargetArn"]["Fn::GetAtt"]
        assert attribute == "Arn"
        assert properties(template, dead_letter)["QueueName"] == {"Fn::Sub": queue["QueueName"]["Fn::Sub"] + "-dlq"}
        assert redrive["maxReceiveCount"] == bootstrap.MAX_RECEIVES


@pytest.mark.parametrize("function", sorted(SQS_SOURCES))
def test_sqs_functions_read_the_stack_queues_within_their_visibility_timeout(template: Template, function: str) -> None:
    queue = SQS_SOURCES[function]
    (source,) = properties(template, function)["Events"].values()
    assert source["Type"] == "SQS"
    assert source["Properties"]["Queue"] == {"Fn::Sub": f"${{{queue}.Arn}}"}
    assert properties(template, queue)["VisibilityTimeout"] >= properties(template, function)["Timeout"]


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_functions_are_configured_with_the_stack_resources_and_parameters(template: Template, function: str) -> None:
    environment = properties(template, function)["Environment"]["Variables"]
    for setting in WIRED_SETTINGS:
        assert isinstance(environment[setting], dict), f"{function} {setting} is a literal"
    assert environment["SENDER_EMAIL"] == {"Ref": "SenderEmail"}
    assert environment["TEAM_EMAILS"] == {"Ref": "TeamEmails"}
    assert environment["STAFF_USER_POOL_ARN"] == {"Fn::GetAtt": ["StaffUserPool", "Arn"]}
    assert "STAFF_DEV_TOKEN" not in environment
    for parameter in ("SenderEmail", "TeamEmails"):
        assert "Default" not in template["Parameters"][parameter], "each practice gives its own"


def test_staff_routes_are_guarded_by_the_stack_user_pool(template: Template) -> None:
    api = properties(template, "RestAPI")["DefinitionBody"]
    cognito = {"Fn::GetAtt": ["StaffUserPool", "Arn"]}
    assert api["securityDefinitions"]
    for authorizer in api["securityDefinitions"].values():
        assert authorizer["x-amazon-apigateway-authtype"] == "cognito_user_pools"
        assert authorizer["x-amazon-apigateway-authorizer"]["providerARNs"] == [cognito]
    staff = [method for path, route in api["paths"].items() if path.startswith("/staff") for method in route.values()]
    assert staff, "app.py has /staff routes"
    assert all(method.get("security") == [{"StaffUserPool": []}] for method in staff)
    assert template["Resources"]["StaffUserPool"]["Type"] == "AWS::Cognito::UserPool"
    assert properties(template, "StaffUserPool")["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    assert properties(template, "StaffUserPoolClient")["UserPoolId"] == {"Ref": "StaffUserPool"}
    # Neither packaging placeholder (Makefile's pool ARN, .chalice/config.json's role ARN) survives the merge.
    assert "000000000000" not in json.dumps(template)


def test_api_stage_is_throttled(template: Template) -> None:
    (settings,) = properties(template, "RestAPI")["MethodSettings"]
    assert settings["ResourcePath"] == "/*"
    assert settings["HttpMethod"] == "*"
    assert settings["ThrottlingRateLimit"] == {"Ref": "ApiRateLimit"}
    assert settings["ThrottlingBurstLimit"] == {"Ref": "ApiBurstLimit"}
