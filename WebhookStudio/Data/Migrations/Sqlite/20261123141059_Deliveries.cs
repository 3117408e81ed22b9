using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebhookStudio.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Deliveries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ConsecutiveFailures",
                table: "Subscriptions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "FailingSince",
                table: "Subscriptions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ChainStart",
                table: "Deliveries",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastAttemptAt",
                table: "Deliveries",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LastFailure",
                table: "Deliveries",
                type: "TEXT",
                maxLength: 30,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "LastStatusCode",
                table: "Deliveries",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LeaseUntil",
                table: "Deliveries",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ReplayOfId",
                table: "Deliveries",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Notifications",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    SubscriptionId = table.Column<int>(type: "INTEGER", nullable: true),
                    Message = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Link = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReadAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Notifications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Notifications_Subscriptions_SubscriptionId",
                        column: x => x.SubscriptionId,
                        principalTable: "Subscriptions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Deliveries_CreatedAt",
                table: "Deliveries",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Deliveries_ItemChangeId",
                table: "Deliveries",
                column: "ItemChangeId");

            migrationBuilder.CreateIndex(
                name: "IX_Deliveries_PayloadId",
                table: "Deliveries",
                column: "PayloadId");

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_ReadAt_Id",
                table: "Notifications",
                columns: new[] { "ReadAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_SubscriptionId",
                table: "Notifications",
                column: "SubscriptionId");

            migrationBuilder.AddForeignKey(
                name: "FK_Deliveries_ItemChanges_ItemChangeId",
                table: "Deliveries",
                column: "ItemChangeId",
                principalTable: "ItemChanges",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "FK_Deliveries_Items_ItemId",
                table: "Deliveries",
                column: "ItemId",
                principalTable: "Items",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_Deliveries_Payloads_PayloadId",
                table: "Deliveries",
                column: "PayloadId",
                principalTable: "Payloads",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Deliveries_ItemChanges_ItemChangeId",
                table: "Deliveries");

            migrationBuilder.DropForeignKey(
                name: "FK_Deliveries_Items_ItemId",
                table: "Deliveries");

            migrationBuilder.DropForeignKey(
                name: "FK_Deliveries_Payloads_PayloadId",
                table: "Deliveries");

            migrationBuilder.DropTable(
                name: "Notifications");

            migrationBuilder.DropIndex(
                name: "IX_Deliveries_CreatedAt",
                table: "Deliveries");

            migrationBuilder.DropIndex(
                name: "IX_Deliveries_ItemChangeId",
                table: "Deliveries");

            migrationBuilder.DropIndex(
                name: "IX_Deliveries_PayloadId",
                table: "Deliveries");

            migrationBuilder.DropColumn(
                name: "ConsecutiveFailures",
                table: "Subscriptions");

            migrationBuilder.DropColumn(
                name: "FailingSince",
                table: "Subscriptions");

            migrationBuilder.DropColumn(
                name: "ChainStart",
                table: "Deliveries");

            migrationBuilder.DropColumn(
                name: "LastAttemptAt",
                table: "Deliveries");

            migrationBuilder.DropColumn(
                name: "LastFailure",
                table: "Deliveries");

            migrationBuilder.DropColumn(
                name: "LastStatusCode",
                table: "Deliveries");

            migrationBuilder.DropColumn(
                name: "LeaseUntil",
                table: "Deliveries");

            migrationBuilder.DropColumn(
                name: "ReplayOfId",
                table: "Deliveries");
        }
    }
}
