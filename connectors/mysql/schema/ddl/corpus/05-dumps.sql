-- group: dump style
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8 */;
CREATE TABLE `inventory_items` (
  `item_id` int(10) unsigned NOT NULL AUTO_INCREMENT,
  `warehouse_code` char(4) NOT NULL DEFAULT 'MAIN',
  `description` varchar(400) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci DEFAULT NULL,
  `unit_price` decimal(12,4) NOT NULL DEFAULT 0.0000,
  `stock` mediumint(8) unsigned NOT NULL DEFAULT 0,
  `flags` set('fragile','cold','bulky') NOT NULL DEFAULT '',
  `state` enum('active','discontinued') NOT NULL DEFAULT 'active',
  `updated_at` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),
  `created_at` datetime(3) NOT NULL DEFAULT current_timestamp(3),
  PRIMARY KEY (`item_id`),
  UNIQUE KEY `uk_wh_desc` (`warehouse_code`,`description`(100)),
  KEY `idx_state` (`state`)
) ENGINE=InnoDB AUTO_INCREMENT=77 DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci COMMENT='stock per warehouse';
/*!40101 SET character_set_client = @saved_cs_client */;
CREATE TABLE `audit_log` (
  `id` bigint(20) NOT NULL AUTO_INCREMENT,
  `actor` varchar(64) NOT NULL,
  `action` varchar(32) NOT NULL,
  `payload` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(`payload`)),
  `ip` varbinary(16) DEFAULT NULL,
  `at` datetime(6) NOT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_actor_at` (`actor`,`at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE `sessions` (
  `token` binary(32) NOT NULL,
  `user_id` int(11) NOT NULL,
  `expires` int(10) unsigned NOT NULL,
  `data` blob DEFAULT NULL,
  PRIMARY KEY (`token`)
) ENGINE=Aria DEFAULT CHARSET=ascii;
CREATE TABLE `money` (
  `id` int(11) NOT NULL,
  `amount` decimal(19,4) NOT NULL,
  `currency` char(3) CHARACTER SET ascii COLLATE ascii_general_ci NOT NULL DEFAULT 'EUR',
  `rate` double(16,8) DEFAULT NULL,
  `approx` float DEFAULT NULL,
  `tiny` tinyint(1) NOT NULL DEFAULT 0,
  `yr` year(4) DEFAULT NULL,
  `bits` bit(3) DEFAULT b'0',
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
ALTER TABLE `money` ADD COLUMN `note` tinytext DEFAULT NULL AFTER `currency`;
ALTER TABLE `money` MODIFY `amount` decimal(20,4) NOT NULL DEFAULT 0.0000;
ALTER TABLE `money` CHANGE `rate` `fx_rate` double DEFAULT NULL;
ALTER TABLE `money` ADD `ref` varchar(36) CHARACTER SET latin1 COLLATE latin1_bin NOT NULL DEFAULT '' FIRST;
ALTER TABLE `sessions` ADD KEY `idx_user` (`user_id`), ADD KEY `idx_exp` (`expires`);
ALTER TABLE `audit_log` PARTITION BY RANGE (`id`) (PARTITION p0 VALUES LESS THAN (1000000), PARTITION p1 VALUES LESS THAN MAXVALUE);
ALTER TABLE `inventory_items` DROP INDEX `uk_wh_desc`, ADD UNIQUE KEY `uk_wh_desc` (`warehouse_code`,`item_id`);
ALTER TABLE `inventory_items` MODIFY `flags` set('fragile','cold','bulky','hazmat') NOT NULL DEFAULT 'cold';
ALTER TABLE `inventory_items` ALTER `warehouse_code` SET DEFAULT 'WEST';
-- group: migrations framework style
CREATE TABLE `schema_migrations` (`version` varchar(255) NOT NULL, PRIMARY KEY (`version`));
CREATE TABLE `ar_internal_metadata` (`key` varchar(255) NOT NULL PRIMARY KEY, `value` varchar(255), `created_at` datetime(6) NOT NULL, `updated_at` datetime(6) NOT NULL);
CREATE TABLE `users` (`id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, `email` varchar(255) DEFAULT '' NOT NULL, `encrypted_password` varchar(255) DEFAULT '' NOT NULL, `reset_password_token` varchar(255), `sign_in_count` integer DEFAULT 0 NOT NULL, `admin` boolean DEFAULT FALSE NOT NULL, `created_at` datetime(6) NOT NULL, `updated_at` datetime(6) NOT NULL);
CREATE UNIQUE INDEX `index_users_on_email` ON `users` (`email`);
CREATE UNIQUE INDEX `index_users_on_reset_password_token` ON `users` (`reset_password_token`);
ALTER TABLE `users` ADD `confirmed_at` datetime(6);
ALTER TABLE `users` ADD `locale` varchar(10) DEFAULT 'en' NOT NULL;
ALTER TABLE `users` CHANGE `sign_in_count` `sign_in_count` bigint DEFAULT 0 NOT NULL;
ALTER TABLE `users` DROP COLUMN `admin`;
CREATE TABLE `django_content_type` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `app_label` varchar(100) NOT NULL, `model` varchar(100) NOT NULL);
ALTER TABLE `django_content_type` ADD CONSTRAINT `django_content_type_app_label_model_76bd3d3b_uniq` UNIQUE (`app_label`, `model`);
CREATE TABLE `auth_permission` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `name` varchar(50) NOT NULL, `content_type_id` integer NOT NULL, `codename` varchar(100) NOT NULL);
ALTER TABLE `auth_permission` ADD CONSTRAINT `auth_permission_content_type_id_fk` FOREIGN KEY (`content_type_id`) REFERENCES `django_content_type` (`id`);
ALTER TABLE `auth_permission` MODIFY `name` varchar(255) NOT NULL;
CREATE TABLE `flyway_schema_history` (`installed_rank` INT NOT NULL, `version` VARCHAR(50), `description` VARCHAR(200) NOT NULL, `type` VARCHAR(20) NOT NULL, `script` VARCHAR(1000) NOT NULL, `checksum` INT, `installed_by` VARCHAR(100) NOT NULL, `installed_on` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, `execution_time` INT NOT NULL, `success` BOOL NOT NULL, CONSTRAINT `flyway_schema_history_pk` PRIMARY KEY (`installed_rank`)) ENGINE=InnoDB;
CREATE INDEX `flyway_schema_history_s_idx` ON `flyway_schema_history` (`success`);
CREATE TABLE `liquibase_lock` (`ID` INT NOT NULL, `LOCKED` BIT(1) NOT NULL, `LOCKGRANTED` datetime NULL, `LOCKEDBY` VARCHAR(255) NULL, CONSTRAINT `PK_DATABASECHANGELOGLOCK` PRIMARY KEY (`ID`));
ALTER TABLE `liquibase_lock` MODIFY `LOCKEDBY` VARCHAR(512) NULL;
-- group: case and quoting
CREATE TABLE MixedCase (Id INT NOT NULL, Name VARCHAR(20), PRIMARY KEY (ID));
ALTER TABLE MixedCase ADD COLUMN Extra INT AFTER NAME;
ALTER TABLE MixedCase MODIFY name VARCHAR(40) NOT NULL;
ALTER TABLE MixedCase DROP COLUMN EXTRA;
CREATE TABLE `quoted ``names``` (`col one` INT, `col,two` VARCHAR(5), `col)three` INT);
ALTER TABLE `quoted ``names``` CHANGE `col one` `col 1` BIGINT FIRST;
CREATE TABLE kw (`key` INT, `order` INT, `desc` VARCHAR(3), `primary` INT, `unique` INT, `index` INT, `check` INT);
ALTER TABLE kw ADD COLUMN `from` INT, ADD COLUMN status INT, ADD COLUMN comment VARCHAR(5), ADD COLUMN `year` INT;
create table lower_case (a int not null default 1, b varchar(3) character set latin1 not null default 'x') engine=innodb default charset=utf8mb4;
alter table lower_case add column c int first, modify b varchar(5) not null;
