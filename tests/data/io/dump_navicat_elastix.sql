/*
Navicat MySQL Data Transfer

Source Server         : elastix
Source Database       : asteriskcdrdb

Target Server Type    : MYSQL
File Encoding         : 65001

Date: 2026-10-02 03:00:00
*/

SET FOREIGN_KEY_CHECKS=0;

-- ----------------------------
-- Table structure for cdr
-- ----------------------------
DROP TABLE IF EXISTS `cdr`;
CREATE TABLE `cdr` (
  `calldate` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `clid` varchar(80) NOT NULL DEFAULT '',
  `src` varchar(80) NOT NULL DEFAULT '',
  `dst` varchar(80) NOT NULL DEFAULT '',
  `dcontext` varchar(80) NOT NULL DEFAULT '',
  `channel` varchar(80) NOT NULL DEFAULT '',
  `dstchannel` varchar(80) NOT NULL DEFAULT '',
  `lastapp` varchar(80) NOT NULL DEFAULT '',
  `lastdata` varchar(80) NOT NULL DEFAULT '',
  `duration` int(11) NOT NULL DEFAULT '0',
  `billsec` int(11) NOT NULL DEFAULT '0',
  `disposition` varchar(80) NOT NULL DEFAULT '',
  `amaflags` int(11) NOT NULL DEFAULT '0',
  `accountcode` varchar(80) NOT NULL DEFAULT '',
  `uniqueid` varchar(80) NOT NULL DEFAULT '',
  `userfield` varchar(80) NOT NULL DEFAULT '',
  `callingsubaddr` varchar(80) NOT NULL DEFAULT '',
  `calledsubaddr` varchar(80) NOT NULL DEFAULT '',
  KEY `calldate` (`calldate`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8;

-- ----------------------------
-- Records of cdr
-- ----------------------------
INSERT INTO `cdr` VALUES ('2026-10-01 10:00:00', '\"Client\" <89720123456>', '89720123456', '600', 'ext-group', 'SIP/trunk-00000001', 'Local/102@from-internal-00000002;1', 'Dial', 'Local/101@from-internal&Local/102@from-internal,20', 95, 80, 'ANSWERED', 3, '', '1790838000.1', '', '', '');
INSERT INTO `cdr` VALUES ('2026-10-01 10:00:00', '\"Client\" <89720123456>', '89720123456', '101', 'from-internal', 'Local/101@from-internal-00000001;2', 'SIP/101-00000003', 'Dial', 'SIP/101,20', 15, 0, 'NO ANSWER', 3, '', '1790838000.3', '', '', '');
INSERT INTO `cdr` VALUES ('2026-10-01 10:00:00', '\"Client\" <89720123456>', '89720123456', '102', 'from-internal', 'Local/102@from-internal-00000002;2', 'SIP/102-00000004', 'Dial', 'SIP/102,20', 95, 80, 'ANSWERED', 3, '', '1790838000.5', '', '', '');
INSERT INTO `cdr` VALUES ('2026-10-01 11:00:00', '\"User 101\" <101>', '101', '89750001111', 'from-internal', 'SIP/101-00000006', 'SIP/trunk-00000007', 'Dial', 'SIP/trunk/89750001111', 70, 60, 'ANSWERED', 3, '', '1790841600.6', '', '', '');
INSERT INTO `cdr` VALUES ('1000-01-01 00:00:00', 'placeholder', '', '', '', '', '', '', '', 0, 0, 'NO ANSWER', 3, '', '', '', '', '');
SET FOREIGN_KEY_CHECKS=1;
